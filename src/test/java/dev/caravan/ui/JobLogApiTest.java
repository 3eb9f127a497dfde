package dev.caravan.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.jobs.JobLogs;
import dev.caravan.server.ServerSettings;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * GET /api/v1/jobs/{id}/logs: the lines of a job's own threads, per attempt, with this server's secrets masked; readable
 * by a viewer; 404 for an unknown job, and a job of another server in the same JVM is not mixed in.
 */
class JobLogApiTest {
    private static final String ADMIN_TOKEN = "cvn_job-log-test-admin-token-0123456789";

    @TempDir
    Path home;
    @TempDir
    Path otherHome;

    @Test
    void aJobsLogHoldsItsLinesMaskedAndOnlyItsOwn() {
        try (TestingServer server = new TestingServer(home, Map.of(ServerSettings.AUTH_ENABLED, "true",
                ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, ADMIN_TOKEN, ServerSettings.SYNC_MAX_ATTEMPTS, "1"));
             TestingServer other = new TestingServer(otherHome)) {
            HttpJson admin = new HttpJson(server.apiUrl()).withToken(ADMIN_TOKEN);
            String lake = home.resolve("lake").toString().replace("\\", "/");
            assertThat(admin.postYaml("/apply", """
                    sources: [{name: fake, connector: faker, config: {count: 300}}]
                    destinations: [{name: lake, connector: local, config: {path: %s}}]
                    connections: [{name: logged, source: fake, destination: lake, streams: [{name: users}, {name: products}]}]
                    """.formatted(lake)).status()).isEqualTo(200);
            assertThat(admin.post("/connections/sync", "{\"connection\":\"logged\",\"wait\":true}").json().get("status").asText()).isEqualTo("succeeded");

            String token = admin.post("/tokens", "{\"name\":\"reader\",\"role\":\"viewer\"}").json().get("token").asText();
            Response log = new HttpJson(server.apiUrl()).withToken(token).get("/jobs/1/logs");
            assertThat(log.status()).isEqualTo(200);
            assertThat(log.contentType()).startsWith("text/plain");
            assertThat(log.text()).contains("[attempt 1]", "Job 1 of logged started", "Job 1 of logged succeeded: 330 records");

            // a line logged on a job's thread that holds one of the server's secrets is masked in the job's log
            String secret = "ui-job-log-secret-4711";
            server.server().secrets().register(secret);
            MDC.put(JobLogs.MDC_JOB, server.server().coordinator().logScope() + ":1");
            MDC.put(JobLogs.MDC_ATTEMPT, "2");
            try {
                LoggerFactory.getLogger(JobLogApiTest.class).info("connecting with password {}", secret);
            } finally {
                MDC.remove(JobLogs.MDC_JOB);
                MDC.remove(JobLogs.MDC_ATTEMPT);
            }
            String masked = admin.get("/jobs/1/logs").text();
            assertThat(masked).contains("[attempt 2] JobLogApiTest - connecting with password ").doesNotContain(secret);

            assertThat(admin.get("/jobs/99/logs").status()).isEqualTo(404);
            assertThat(new HttpJson(server.apiUrl()).get("/jobs/1/logs").status()).as("no token").isEqualTo(401);
            // the other server's job 1 (none ran there) has no lines of this server's job 1
            assertThat(new HttpJson(other.apiUrl()).get("/jobs/1/logs").status()).isEqualTo(404);
            assertThat(other.home().resolve("data/job-logs/1.log")).doesNotExist();
        }
    }
}
