package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Small formatting helpers shared by the client commands. */
final class Tables {
    private Tables() {
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void printJob(JsonNode job) {
        System.out.printf("Job %d of %s: %s — %,d records, %,d bytes%s%n", job.get("id").asLong(), job.get("connection").asText(),
                job.get("status").asText(), job.get("records").asLong(), job.get("bytes").asLong(),
                job.path("duration_ms").isNumber() ? " in " + job.get("duration_ms").asLong() + " ms" : "");
        for (JsonNode stream : job.path("streams")) {
            System.out.printf("  %-20s %-10s %-28s %,12d records %,14d bytes %3d files%s%n", stream.get("stream").asText(),
                    stream.get("status").asText(), stream.get("sync_mode").asText(), stream.get("records").asLong(), stream.get("bytes").asLong(),
                    stream.get("files").asInt(), stream.path("error").isNull() ? "" : "  error: " + stream.path("error").asText());
            for (JsonNode warning : stream.path("warnings")) {
                System.out.println("    warning: " + warning.asText());
            }
        }
        if (!job.path("error").isNull() && !job.path("error").isMissingNode()) {
            System.out.println("  " + job.path("error_type").asText() + " error: " + job.get("error").asText());
        }
    }
}
