package dev.caravan.cli;

import dev.caravan.config.ConnectionConfig;
import dev.caravan.config.DestinationConfig;
import dev.caravan.server.CaravanServer;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStreamRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/** Prints a finished job for people: status, counts, and where the files are. */
final class JobReport {
    private JobReport() {
    }

    static void print(JobRecord job, CaravanServer server, PrintStream out) {
        long millis = job.endedAt() == null ? 0 : Duration.between(job.startedAt(), job.endedAt()).toMillis();
        out.printf("Job %d of %s: %s — %,d records, %,d bytes in %d ms%n", job.id(), job.connection(), job.status(), job.records(), job.bytes(), millis);
        for (JobStreamRecord stream : job.streams()) {
            out.printf("  %-20s %-10s %-28s %,12d records %,14d bytes %3d files%s%n", stream.stream(), stream.status(), stream.syncMode(),
                    stream.records(), stream.bytes(), stream.files(), stream.errorMessage() == null ? "" : "  error: " + stream.errorMessage());
            for (String warning : stream.warnings()) {
                out.println("    warning: " + warning);
            }
        }
        if (job.errorMessage() != null) {
            out.println("  " + job.errorType() + " error: " + job.errorMessage());
        }
        Optional<ConnectionConfig> connection = server.configs().connection(job.connection());
        Optional<DestinationConfig> destination = connection.flatMap(c -> server.configs().destination(c.destination()));
        if (destination.isPresent() && "local".equals(destination.get().connector())) {
            Object path = destination.get().config().get("path");
            String namespace = connection.get().namespace();
            out.println("  Files: " + java.nio.file.Path.of(String.valueOf(path)).toAbsolutePath().normalize().resolve("raw")
                    + (namespace.isEmpty() ? "" : "/" + namespace) + "/");
        }
    }
}
