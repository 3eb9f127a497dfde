package dev.caravan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.GuardedSource;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes /metrics after real syncs and checks Caravan's counters against the jobs the API reports. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsTest {
    @TempDir
    static Path home;
    private static TestingServer server;
    private static HttpJson api;
    private static JsonNode demoJob;
    private static JsonNode guardedJob;
    private static JsonNode brokenJob;

    @BeforeAll
    static void syncAndScrape() throws Exception {
        server = new TestingServer(home);
        api = new HttpJson(server.apiUrl());
        String lake = home.resolve("lake").toString().replace("\\", "/");
        Response applied = api.postYaml("/apply", """
                sources:
                  - {name: fake, connector: faker, config: {count: 50}}
                  - {name: vault, connector: guarded, config: {password: %s, rows: 30}}
                destinations: [{name: lake, connector: local, config: {path: %s}}]
                connections:
                  - name: demo
                    source: fake
                    destination: lake
                    streams:
                      - {name: users, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}
                      - {name: products}
                  - {name: vaulted, source: vault, destination: lake, streams: [{name: items}]}
                  - {name: broken, source: vault, destination: lake, streams: [{name: broken}]}
                  - {name: ticking, source: fake, destination: lake, namespace: ticking, schedule: {every: 1s}, streams: [{name: products}]}
                """.formatted(GuardedSource.SERVER_PASSWORD, lake));
        assertThat(applied.status()).as(applied.text()).isEqualTo(200);
        demoJob = sync("demo");
        guardedJob = sync("vaulted");
        brokenJob = sync("broken");
        long deadline = System.currentTimeMillis() + 20_000;
        while (scrape().value("caravan_schedule_lag_seconds_count", Map.of("connection", "ticking")).orElse(0) < 1) {
            assertThat(System.currentTimeMillis()).as("a scheduled run of 'ticking' within 20 s").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(api.post("/connections/ticking/disable", "").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode sync(String connection) {
        Response job = api.post("/connections/sync", "{\"connection\":\"" + connection + "\",\"wait\":true,\"timeout_seconds\":60}");
        assertThat(job.status()).as(job.text()).isEqualTo(200);
        return job.json();
    }

    private static PrometheusText scrape() {
        Response metrics = new HttpJson(server.baseUrl()).get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        return new PrometheusText(metrics.text());
    }

    private static JsonNode stream(JsonNode job, String name) {
        for (JsonNode stream : job.get("streams")) {
            if (stream.get("stream").asText().equals(name)) {
                return stream;
            }
        }
        throw new AssertionError("no stream " + name + " in " + job);
    }

    @Test
    void recordsBytesAndRowsWithChangesPerConnectionAndStream() {
        PrometheusText metrics = scrape();
        for (String name : new String[] {"users", "products"}) {
            Map<String, String> labels = Map.of("connection", "demo", "stream", name);
            JsonNode stream = stream(demoJob, name);
            assertThat(metrics.require("caravan_sync_records_total", labels)).isEqualTo(stream.get("records").asDouble());
            assertThat(metrics.require("caravan_sync_bytes_total", labels)).isEqualTo(stream.get("bytes").asDouble()).isPositive();
            assertThat(metrics.require("caravan_sync_rows_with_changes_total", labels)).isZero();
            assertThat(metrics.require("caravan_sync_stream_duration_seconds_count", Map.of("connection", "demo", "stream", name, "status", "succeeded")))
                    .isEqualTo(1);
        }
        assertThat(metrics.require("caravan_sync_records_total", Map.of("connection", "demo", "stream", "users"))).isEqualTo(50);
        Map<String, String> items = Map.of("connection", "vaulted", "stream", "items");
        assertThat(metrics.require("caravan_sync_records_total", items)).isEqualTo(30);
        assertThat(metrics.require("caravan_sync_rows_with_changes_total", items)).as("every third row of 30 has its name nulled").isEqualTo(10);
        assertThat(guardedJob.get("records").asLong()).isEqualTo(30);
    }

    @Test
    void jobOutcomesDurationsAndTheLastSuccess() {
        PrometheusText metrics = scrape();
        assertThat(metrics.require("caravan_sync_jobs_total", Map.of("connection", "demo", "status", "succeeded"))).isEqualTo(1);
        assertThat(metrics.value("caravan_sync_jobs_total", Map.of("connection", "demo", "status", "failed"))).isEmpty();
        assertThat(brokenJob.get("status").asText()).isEqualTo("failed");
        assertThat(metrics.require("caravan_sync_jobs_total", Map.of("connection", "broken", "status", "failed"))).isEqualTo(1);
        assertThat(metrics.require("caravan_sync_stream_duration_seconds_count", Map.of("connection", "broken", "stream", "broken", "status", "failed")))
                .isEqualTo(1);
        assertThat(metrics.value("caravan_sync_records_total", Map.of("connection", "broken", "stream", "broken"))).as("failed streams deliver nothing")
                .isEmpty();
        assertThat(metrics.require("caravan_sync_job_duration_seconds_count", Map.of("connection", "demo", "status", "succeeded"))).isEqualTo(1);
        assertThat(metrics.require("caravan_sync_job_duration_seconds_sum", Map.of("connection", "demo", "status", "succeeded")))
                .isCloseTo(demoJob.get("duration_ms").asDouble() / 1000, within(0.002));
        double endedAt = Instant.parse(demoJob.get("ended_at").asText()).toEpochMilli() / 1000.0;
        assertThat(metrics.require("caravan_sync_last_success_timestamp_seconds", Map.of("connection", "demo"))).isCloseTo(endedAt, within(0.001));
        assertThat(metrics.value("caravan_sync_last_success_timestamp_seconds", Map.of("connection", "broken"))).as("never succeeded").isEmpty();
    }

    @Test
    void scheduledRunsReportTheirLag() {
        PrometheusText metrics = scrape();
        Map<String, String> ticking = Map.of("connection", "ticking");
        assertThat(metrics.require("caravan_schedule_lag_seconds_count", ticking)).isGreaterThanOrEqualTo(1);
        assertThat(metrics.require("caravan_schedule_lag_seconds_max", ticking)).isBetween(0.0, 5.0);
        assertThat(metrics.value("caravan_schedule_lag_seconds_count", Map.of("connection", "demo"))).as("manual runs have no lag").isEmpty();
    }

    @Test
    void jvmAndCamelRouteMetrics() {
        PrometheusText metrics = scrape();
        assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();
        assertThat(metrics.has("jvm_threads_live_threads")).isTrue();
        assertThat(metrics.has("process_uptime_seconds")).isTrue();
        assertThat(metrics.require("camel_exchanges_total", Map.of("routeId", "demo.users"))).as("one batch of 50 users").isEqualTo(1);
        assertThat(metrics.require("camel_exchanges_total", Map.of("routeId", "vaulted.items"))).isEqualTo(1);
    }

    /** Camel's route counters start over when a route is reloaded; Caravan's per connection and stream go on. */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void caravanCountersSurviveARouteReload() throws Exception {
        Map<String, String> products = Map.of("connection", "demo", "stream", "products");
        double records = scrape().require("caravan_sync_records_total", products);
        double bytes = scrape().require("caravan_sync_bytes_total", products);
        double jobs = scrape().require("caravan_sync_jobs_total", Map.of("connection", "demo", "status", "succeeded"));
        org.apache.camel.Route before = server.server().camelContext().getRoute("demo.products");
        String lake = home.resolve("lake").toString().replace("\\", "/");
        Response changed = api.postYaml("/apply", """
                sources: [{name: fake, connector: faker, config: {count: 50}}]
                destinations: [{name: lake, connector: local, config: {path: %s}}]
                connections:
                  - name: demo
                    source: fake
                    destination: lake
                    streams:
                      - {name: users, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}
                      - {name: products, sync_mode: full_refresh_append}
                """.formatted(lake));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        server.awaitStartedRoute("demo.products", before);
        JsonNode again = sync("demo");
        assertThat(again.get("status").asText()).isEqualTo("succeeded");

        PrometheusText metrics = scrape();
        assertThat(metrics.require("camel_exchanges_total", Map.of("routeId", "demo.products"))).as("Camel's counter started over").isEqualTo(1);
        assertThat(stream(again, "products").get("records").asDouble()).isPositive();
        assertThat(metrics.require("caravan_sync_records_total", products)).isEqualTo(records + stream(again, "products").get("records").asDouble());
        assertThat(metrics.require("caravan_sync_bytes_total", products)).isEqualTo(bytes + stream(again, "products").get("bytes").asDouble());
        assertThat(metrics.require("caravan_sync_jobs_total", Map.of("connection", "demo", "status", "succeeded"))).isEqualTo(jobs + 1);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void theLastSuccessSurvivesARestartAndJobsACrashLeftRunningCountAsInterrupted() {
        double before = scrape().require("caravan_sync_last_success_timestamp_seconds", Map.of("connection", "demo"));
        server.close();
        // as if the server had been killed during a job: its row is still RUNNING
        try (dev.caravan.state.StateDatabase db = dev.caravan.state.StateDatabase.open("jdbc:h2:file:" + home.resolve("data/state"), "", "")) {
            new dev.caravan.state.JobRepository(db.dataSource()).start("demo", "manual", Instant.now());
        }
        server = new TestingServer(home);
        assertThat(scrape().require("caravan_sync_jobs_total", Map.of("connection", "demo", "status", "interrupted"))).isEqualTo(1);
        long deadline = System.currentTimeMillis() + 10_000;
        while (scrape().value("caravan_sync_last_success_timestamp_seconds", Map.of("connection", "demo")).isEmpty()
                && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(scrape().require("caravan_sync_last_success_timestamp_seconds", Map.of("connection", "demo"))).isEqualTo(before);
    }
}
