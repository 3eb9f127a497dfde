package dev.caravan.cli;

import picocli.CommandLine.Option;

/** The option every client command shares: which server to talk to. */
final class ClientOptions {
    @Option(names = "--server", description = "Caravan server URL (default: $CARAVAN_SERVER or http://127.0.0.1:8080).")
    String server;

    ApiClient client() {
        String url = server != null ? server : System.getenv().getOrDefault("CARAVAN_SERVER", "http://127.0.0.1:8080");
        return new ApiClient(url);
    }
}
