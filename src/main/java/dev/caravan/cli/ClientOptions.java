package dev.caravan.cli;

import picocli.CommandLine.Option;

/** The options every client command shares: which server to talk to, and the API token to send. */
final class ClientOptions {
    @Option(names = "--server", description = "Caravan server URL (default: $CARAVAN_SERVER or http://127.0.0.1:8080).")
    String server;

    @Option(names = "--token", description = "API token, when the server requires authentication (default: $CARAVAN_TOKEN).")
    String token;

    ApiClient client() {
        String url = server != null ? server : System.getenv().getOrDefault("CARAVAN_SERVER", "http://127.0.0.1:8080");
        return new ApiClient(url, token != null ? token : System.getenv("CARAVAN_TOKEN"));
    }
}
