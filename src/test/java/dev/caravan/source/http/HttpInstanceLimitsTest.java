package dev.caravan.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request rate and concurrency limits hold for a connector instance across streams read at the same time. */
class HttpInstanceLimitsTest extends FreshHttpApi {
    @BeforeEach
    void events() {
        for (int i = 1; i <= 6; i++) {
            api.event(i, i, "a");
        }
    }

    /** Two streams of one manifest (6 pages each) read by two threads at once; returns the seconds taken. */
    private double readBothStreamsAtOnce(String requester) throws Exception {
        String stream = """
                  - name: %s
                    path: /api/events
                    records: /items
                    pagination: {type: offset, param: offset, size_param: limit, size: 1}
                    schema: {properties: {id: {type: integer}}}
                """;
        Path manifest = Files.writeString(dir.resolve("limits.yaml"), "version: 1\nbase_url: http://unused.invalid\nrequester: " + requester
                + "\nstreams:\n" + stream.formatted("one") + stream.formatted("two"));
        ConnectorConfig config = HttpReads.config(api, Map.of("manifest", manifest.toString()));
        ExecutorService threads = Executors.newFixedThreadPool(2); // the common pool may have one thread on 2 cores
        try {
            long start = System.nanoTime();
            List<CompletableFuture<HttpReads.Read>> reads = List.of("one", "two").stream()
                    .map(s -> CompletableFuture.supplyAsync(() -> HttpReads.read(config, s, SyncMode.FULL_REFRESH_APPEND, null, Map.of()), threads))
                    .toList();
            for (CompletableFuture<HttpReads.Read> r : reads) {
                assertThat(r.get().values("id")).hasSize(6);
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void theRequestRateIsSharedByTheStreamsOfOneInstance() throws Exception {
        api.eventsDelayMs = 40;
        readBothStreamsAtOnce("{requests_per_second: 100}");
        assertThat(api.maxInFlight.get()).as("both streams send at once").isEqualTo(2);
        api.requests.clear();
        Files.delete(dir.resolve("limits.yaml"));
        double seconds = readBothStreamsAtOnce("{requests_per_second: 10}");
        assertThat(api.requests).hasSize(14);
        assertThat(seconds).as("14 requests at 10/s for the instance, not 10/s per stream").isGreaterThanOrEqualTo(1.25);
    }

    @Test
    void concurrentRequestsAreCappedForTheInstance() throws Exception {
        api.eventsDelayMs = 40;
        readBothStreamsAtOnce("{max_concurrent_requests: 1}");
        assertThat(api.maxInFlight.get()).isEqualTo(1);
        api.maxInFlight.set(0);
        Files.delete(dir.resolve("limits.yaml"));
        readBothStreamsAtOnce("{max_concurrent_requests: 2}");
        assertThat(api.maxInFlight.get()).as("without the cap both streams do send at once").isEqualTo(2);
    }
}
