package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.server.ServerSettings;
import dev.caravan.testing.Await;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two example route files of docs/examples, unchanged, dropped into a running server's camel-routes/ (authentication
 * on): an HTTP call with an editor token triggers a real sync whose Parquet DuckDB reads back, and the post-load hook
 * inserts the job's id and record count into a real PostgreSQL table through camel-jdbc.
 */
class ExampleRoutesTest {
    private static final String ADMIN = "examples-admin-secret-0123456789";
    private static final int USERS = 300;
    @TempDir
    static Path home;
    private static TestingPostgres postgres;
    private static TestingServer server;
    private static HttpJson anonymous;
    private static HttpJson admin;

    @BeforeAll
    static void start() throws Exception {
        postgres = new TestingPostgres();
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE caravan_audit (job_id bigint PRIMARY KEY, connection_name text, status text, records bigint, "
                    + "bytes bigint, audited_at timestamptz DEFAULT now())");
        }
        // the example reads its database from properties (system properties or environment), never from the file
        System.setProperty("audit.db.url", postgres.jdbcUrl());
        System.setProperty("audit.db.user", postgres.user());
        server = new TestingServer(home, Map.of(ServerSettings.AUTH_ENABLED, "true", ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, ADMIN,
                ServerSettings.SYNC_MAX_ATTEMPTS, "1"));
        anonymous = new HttpJson(server.apiUrl());
        admin = anonymous.withToken(ADMIN);
        server.server().apply("""
                sources:
                  - {name: shop, connector: faker, config: {count: %d}}
                destinations:
                  - {name: lake, connector: local, config: {path: "%s"}}
                connections:
                  - name: orders
                    source: shop
                    destination: lake
                    namespace: shop
                    streams: [{name: users, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}]
                """.formatted(USERS, home.resolve("lake")), "examples.yaml");
        for (String example : new String[] {"http-trigger.yaml", "post-load-sql.yaml"}) {
            Files.copy(Path.of("docs/examples", example), server.routes().resolve(example));
        }
        server.awaitLoaded("http-trigger.yaml", "post-load-sql.yaml");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        System.clearProperty("audit.db.url");
        System.clearProperty("audit.db.user");
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void anHttpCallTriggersASyncAndThePostLoadHookAuditsItInPostgres() throws Exception {
        String editor = admin.post("/tokens", "{\"name\":\"ci\",\"role\":\"editor\"}").json().get("token").asText();
        String viewer = admin.post("/tokens", "{\"name\":\"dash\",\"role\":\"viewer\"}").json().get("token").asText();
        assertThat(anonymous.post("/hooks/sync-orders", "{}").status()).as("no token").isEqualTo(401);
        assertThat(anonymous.withToken(viewer).post("/hooks/sync-orders", "{}").status()).as("viewer").isEqualTo(403);
        assertThat(anonymous.withToken(editor).get("/hooks/sync-orders").status()).as("GET needs admin (default deny)").isEqualTo(403);
        assertThat(server.server().jobs("orders", 10)).as("refused calls start nothing").isEmpty();

        Response triggered = anonymous.withToken(editor).post("/hooks/sync-orders", "{}");
        assertThat(triggered.status()).as(triggered.text()).isEqualTo(202);
        assertThat(triggered.contentType()).startsWith("application/json");
        long jobId = triggered.json().get("job_id").asLong();
        assertThat(triggered.json().get("connection").asText()).isEqualTo("orders");

        Await.until("job " + jobId + " ended", () -> !"running".equals(admin.get("/jobs/" + jobId).json().get("status").asText()));
        JsonNode job = admin.get("/jobs/" + jobId).json();
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("trigger").asText()).isEqualTo("route:hook.sync-orders");
        assertThat(job.get("records").asLong()).isEqualTo(USERS);

        try (ParquetQuery duck = new ParquetQuery()) {
            String files = ParquetQuery.files(home.resolve("lake/raw/shop/users"));
            assertThat(duck.count("SELECT count(*) FROM " + files)).isEqualTo(USERS);
            assertThat(duck.count("SELECT count(DISTINCT id) FROM " + files)).isEqualTo(USERS);
        }

        Await.until("the audit row of job " + jobId, () -> auditRows() == 1);
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT job_id, connection_name, status, records, bytes FROM caravan_audit")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getLong("job_id")).isEqualTo(jobId);
            assertThat(row.getString("connection_name")).isEqualTo("orders");
            assertThat(row.getString("status")).isEqualTo("succeeded");
            assertThat(row.getLong("records")).isEqualTo(USERS);
            assertThat(row.getLong("bytes")).isEqualTo(job.get("bytes").asLong()).isPositive();
        }

        // a second call: the incremental stream has nothing new, the hook audits that job too (statuses=succeeded)
        long second = anonymous.withToken(editor).post("/hooks/sync-orders", "{}").json().get("job_id").asLong();
        Await.until("the audit row of job " + second, () -> auditRows() == 2);
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT records FROM caravan_audit WHERE job_id = " + second)) {
            assertThat(row.next()).isTrue();
            assertThat(row.getLong("records")).isZero();
        }
    }

    @Test
    void theHookAnswers409WhenTheSyncCannotStart() {
        String editor = admin.post("/tokens", "{\"name\":\"ci-busy\",\"role\":\"editor\"}").json().get("token").asText();
        // while the connection is being reset no job may start: caravan-sync starts none and sets no job id
        Response refused = server.server().coordinator().whileIdle("orders", "being reset", id -> new IllegalStateException("job " + id + " runs"),
                () -> anonymous.withToken(editor).post("/hooks/sync-orders", "{}"));
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/json");
        assertThat(refused.json().get("code").asText()).isEqualTo("NOT_STARTED");
    }

    private static long auditRows() {
        try (Connection c = postgres.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM caravan_audit")) {
            r.next();
            return r.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
