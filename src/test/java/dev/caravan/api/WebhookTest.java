package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.caravan.spi.ConfigException;
import dev.caravan.state.JobRecord;
import dev.caravan.testing.TestingServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection's webhook receives the job summary when a job ends; a failing receiver is retried. */
class WebhookTest {

    @Test
    void theWebhookGetsTheJobSummaryAndIsRetriedOnErrors(@TempDir Path home) throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean fail = calls.incrementAndGet() == 1;
            if (!fail) {
                received.add(exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            }
            exchange.sendResponseHeaders(fail ? 503 : 204, -1);
            exchange.close();
        });
        receiver.start();
        try (TestingServer server = new TestingServer(home)) {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook?token=s3cr3t";
            server.server().apply("""
                    sources: [{name: f, connector: faker, config: {count: 25}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - {name: hooked, source: f, destination: lake, webhook: "%s", streams: [{name: users}]}
                    """.formatted(home.resolve("lake"), url), "hook.yaml");
            JobRecord job = server.server().syncNow("hooked").orElseThrow();

            String delivery = received.poll(20, TimeUnit.SECONDS);
            assertThat(delivery).as("webhook delivery after one failed attempt").isNotNull().startsWith("application/json ");
            JsonNode summary = new ObjectMapper().readTree(delivery.substring("application/json ".length()));
            assertThat(summary.get("id").asLong()).isEqualTo(job.id());
            assertThat(summary.get("connection").asText()).isEqualTo("hooked");
            assertThat(summary.get("status").asText()).isEqualTo("succeeded");
            assertThat(summary.get("records").asLong()).isEqualTo(25);
            assertThat(calls.get()).isEqualTo(2);

            assertThatThrownBy(() -> server.server().apply("""
                    connections:
                      - {name: bad-hook, source: f, destination: lake, webhook: "ftp://x/y", streams: [{name: users}]}
                    """, "bad.yaml")).isInstanceOf(ConfigException.class).hasMessageContaining("connections[0].webhook: 'ftp://x/y'")
                    .hasMessageContaining("http:// or https://");
        } finally {
            receiver.stop(0);
        }
    }
}
