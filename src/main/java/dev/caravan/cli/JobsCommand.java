package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caravan jobs [<connection>] [--status failed]}: the sync history, newest first. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Show the sync history of a connection, or of all connections.")
final class JobsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", arity = "0..1", description = "Connection name (default: every connection).")
    String connection;

    @Option(names = "--status", description = "Only jobs of these statuses, comma separated, e.g. failed,interrupted.")
    String status;

    @Option(names = "--limit", defaultValue = "20", description = "How many jobs (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        String query = "/jobs?limit=" + limit + (connection == null ? "" : "&connection=" + Tables.encode(connection))
                + (status == null ? "" : "&status=" + Tables.encode(status));
        JsonNode page = options.client().getJson(query);
        // a cluster's jobs carry the node that ran them (or queued them): shown only then
        boolean nodes = false;
        for (JsonNode job : page.get("jobs")) {
            nodes |= job.hasNonNull("node");
        }
        System.out.printf("%-8s %-20s %-11s %-10s %-24s %10s %14s %14s " + (nodes ? "%-20s " : "%s") + " %s%n", "JOB", "CONNECTION", "STATUS",
                "TRIGGER", "STARTED", "MS", "RECORDS", "BYTES", nodes ? "NODE" : "", "ERROR");
        for (JsonNode job : page.get("jobs")) {
            System.out.printf("%-8d %-20s %-11s %-10s %-24s %10s %,14d %,14d " + (nodes ? "%-20s " : "%s") + " %s%n", job.get("id").asLong(),
                    job.get("connection").asText(), job.get("status").asText(), job.get("trigger").asText(), job.get("started_at").asText(),
                    job.path("duration_ms").asText(""), job.get("records").asLong(), job.get("bytes").asLong(),
                    nodes ? job.path("node").asText("") : "", job.path("error").isNull() ? "" : job.path("error").asText());
        }
        return 0;
    }
}
