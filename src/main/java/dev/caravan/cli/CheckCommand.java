package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caravan check <name>}: can the source (or, with --destination, the destination) be reached? */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check a source (or a destination) on the server.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "Source or destination name.")
    String name;

    @Option(names = "--destination", description = "Check the destination of this name instead of the source.")
    boolean destination;

    @Override
    public Integer call() {
        JsonNode result = options.client().postJson((destination ? "/destinations/" : "/sources/") + Tables.encode(name) + "/check", "");
        boolean ok = result.get("status").asText().equals("succeeded");
        System.out.println((ok ? "succeeded: " : "failed: ") + result.get("message").asText());
        return ok ? 0 : 1;
    }
}
