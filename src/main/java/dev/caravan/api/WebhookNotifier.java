package dev.caravan.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.config.ConnectionConfig;
import dev.caravan.service.ConfigService;
import dev.caravan.state.JobRecord;
import dev.caravan.jobs.JobListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs the summary of every ended job (the JSON of {@code GET /api/v1/jobs/<id>}) to the connection's webhook, so
 * downstream tools (a dbt run, an orchestrator) can chain on it. Up to 3 attempts (after 1 s and 5 s) on errors or
 * non-2xx answers; never blocks the job. Only the host of the URL is logged: its path or query may hold a token.
 */
public final class WebhookNotifier implements JobListener {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final long[] BACKOFF_SECONDS = {0, 1, 5};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigService configs;
    /** Built on the first webhook: building one sets up TLS, which a server without webhooks need not pay for at start. */
    private HttpClient client;

    public WebhookNotifier(ConfigService configs) {
        this.configs = configs;
    }

    @Override
    public void jobEnded(JobRecord job) {
        URI webhook = configs.connection(job.connection()).map(ConnectionConfig::webhook).orElse(null);
        if (webhook == null) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(JsonViews.job(job));
        } catch (JsonProcessingException e) {
            LOG.error("Cannot serialize job {} for its webhook", job.id(), e);
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("User-Agent", "caravan").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        send(request, job, webhook.getHost(), 0);
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        return client;
    }

    private void send(HttpRequest request, JobRecord job, String host, int attempt) {
        CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(BACKOFF_SECONDS[attempt], TimeUnit.SECONDS))
                .thenCompose(ignored -> client().sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .whenComplete((response, failure) -> {
                    boolean ok = failure == null && response.statusCode() / 100 == 2;
                    if (ok) {
                        LOG.info("Webhook of {} at {} notified of job {} ({})", job.connection(), host, job.id(), response.statusCode());
                    } else if (attempt + 1 < BACKOFF_SECONDS.length) {
                        send(request, job, host, attempt + 1);
                    } else {
                        LOG.warn("Webhook of {} at {} failed for job {} after {} attempts: {}", job.connection(), host, job.id(),
                                BACKOFF_SECONDS.length, failure == null ? "HTTP " + response.statusCode() : failure.getMessage());
                    }
                });
    }
}
