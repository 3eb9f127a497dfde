package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caravan sync <connection> [--streams a,b] [--wait]}: starts a job; with --wait, exits 0 only if it succeeded. */
@Command(name = "sync", mixinStandardHelpOptions = true, description = "Start a sync of a connection.")
final class SyncCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "Connection name.")
    String connection;

    @Option(names = "--streams", split = ",", paramLabel = "STREAM", description = "Sync only these streams (comma-separated); all by default.")
    List<String> streams = List.of();

    @Option(names = "--wait", description = "Wait until the job ends; exit 1 if it did not succeed.")
    boolean wait;

    @Option(names = "--timeout", defaultValue = "3600", description = "Seconds to wait at most with --wait (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        ObjectNode request = new ObjectMapper().createObjectNode().put("connection", connection).put("wait", wait)
                .put("timeout_seconds", timeoutSeconds);
        if (!streams.isEmpty()) {
            streams.forEach(request.putArray("streams")::add);
        }
        String body = request.toString();
        JsonNode job = options.client().postJson("/connections/sync", body);
        Tables.printJob(job);
        String status = job.get("status").asText();
        if (!wait) {
            return 0;
        }
        if (status.equals("running")) {
            System.err.println("caravan: job " + job.get("id").asLong() + " still running after " + timeoutSeconds + " s");
            return 2;
        }
        return status.equals("succeeded") ? 0 : 1;
    }
}
