package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.state.JobStreamRecord;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.SchemaChange.Action;
import dev.caravan.sync.SchemaChange.Kind;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema change detection end to end against a real database: tables are altered between syncs (columns added, dropped,
 * widened, retyped), each connection runs under one schema_changes policy, and every Parquet file written is read back
 * with DuckDB ({@code union_by_name}) across the schema versions. Subclasses give the database and its DDL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SchemaChangesScenarios {
    @TempDir
    static Path home;
    TestingServer server;
    ParquetQuery duck;
    HttpJson api;
    Path lake;
    private com.sun.net.httpserver.HttpServer hooks;
    private final java.util.concurrent.BlockingQueue<String> webhookBodies = new java.util.concurrent.LinkedBlockingQueue<>();

    /** The {@code sources:} entry of a source named {@code db} reading the test database. */
    abstract String sourceYaml();

    /** The stream name discover gives table {@code table}. */
    abstract String stream(String table);

    /** SQL that changes the type of {@code column} of {@code table} to {@code type}. */
    abstract String retype(String table, String column, String type);

    /** Type names: a timestamp without zone, a 32-bit float, a 64-bit float. */
    abstract String timestampType();

    abstract String floatType();

    abstract String doubleType();

    /** The database's JSON column type. */
    abstract String jsonType();

    abstract Connection connect() throws SQLException;

    abstract void startDatabase();

    abstract void stopDatabase();

    @BeforeAll
    void start() throws Exception {
        startDatabase();
        sql("CREATE TABLE t_prop (id INT PRIMARY KEY, name VARCHAR(20), score INT, ratio " + floatType() + ", legacy VARCHAR(20), updated_at "
                        + timestampType() + ")",
                "INSERT INTO t_prop VALUES (1, 'ann', 10, 0.5, 'old-1', '2024-01-01 00:00:01'), (2, 'bob', 20, 1.5, 'old-2', '2024-01-01 00:00:02'),"
                        + " (3, 'cy', 30, 2.5, 'old-3', '2024-01-01 00:00:03')",
                "CREATE TABLE t_ign (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO t_ign VALUES (1, 'a'), (2, 'b')",
                "CREATE TABLE t_pause (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO t_pause VALUES (1, 'a'), (2, 'b')",
                "CREATE TABLE t_cursor (id INT PRIMARY KEY, name VARCHAR(20), updated_at " + timestampType() + ")",
                "INSERT INTO t_cursor VALUES (1, 'a', '2024-01-01 00:00:01')",
                "CREATE TABLE t_code (id INT PRIMARY KEY, code INT)",
                "INSERT INTO t_code VALUES (1, 7)",
                "CREATE TABLE t_fine (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO t_fine VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                "CREATE TABLE t_back (id INT PRIMARY KEY, name VARCHAR(20), updated_at " + timestampType() + ")",
                "INSERT INTO t_back VALUES (1, 'a', '2024-01-01 00:00:01'), (2, 'b', '2024-01-01 00:00:02'), (3, 'c', '2024-01-01 00:00:03')",
                "CREATE TABLE t_json (id INT PRIMARY KEY, doc " + jsonType() + ")",
                "INSERT INTO t_json VALUES (1, '{\"city\": \"Oslo\", \"geo\": {\"lat\": 59.9, \"lon\": 10.75, \"src\": {\"k\": 1}}, \"tags\": [\"a\"]}'),"
                        + " (2, '{\"city\": \"Rome\", \"geo\": {\"lat\": 41.9}}'), (3, NULL)");
        hooks = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/hook", exchange -> {
            webhookBodies.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hooks.start();
        server = new TestingServer(home);
        duck = new ParquetQuery();
        api = new HttpJson(server.apiUrl());
        lake = home.resolve("lake");
        server.server().apply("""
                sources:
                %s
                destinations:
                  - {name: lake, connector: local, config: {path: "%s"}}
                connections:
                  - name: prop
                    source: db
                    destination: lake
                    namespace: prop
                    streams:
                      - {name: "%s", sync_mode: incremental_append_deduped, cursor_field: updated_at, primary_key: [id]}
                  - name: ign
                    source: db
                    destination: lake
                    namespace: ign
                    schema_changes: ignore
                    streams:
                      - {name: "%s", sync_mode: full_refresh_append}
                  - name: pause
                    source: db
                    destination: lake
                    namespace: pause
                    schema_changes: pause
                    schedule: {every: 12h}
                    webhook: "http://127.0.0.1:%d/hook"
                    streams:
                      - {name: "%s", sync_mode: full_refresh_append}
                  - name: brk
                    source: db
                    destination: lake
                    namespace: brk
                    streams:
                      - {name: "%s", sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}
                      - {name: "%s", sync_mode: full_refresh_append}
                      - {name: "%s", sync_mode: full_refresh_append}
                  - name: flat
                    source: db
                    destination: lake
                    namespace: flat
                    flatten_json_depth: 2
                    streams:
                      - {name: "%s", sync_mode: full_refresh_append}
                  - name: back
                    source: db
                    destination: lake
                    namespace: back
                    backfill_new_columns: true
                    streams:
                      - {name: "%s", sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}
                """.formatted(sourceYaml(), lake, stream("t_prop"), stream("t_ign"), hooks.getAddress().getPort(), stream("t_pause"), stream("t_cursor"), stream("t_code"),
                stream("t_fine"), stream("t_json"), stream("t_back")), "drift.yaml");
    }

    @AfterAll
    void stop() {
        if (duck != null) {
            duck.close();
        }
        if (server != null) {
            server.close();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
        stopDatabase();
    }

    @Test
    void propagateColumnsAddsWidensAndKeepsADroppedColumnAsNullAcrossFilesAndTheSnapshot() throws Exception {
        JobRecord first = sync("prop", JobStatus.SUCCEEDED);
        assertThat(changes(first)).isEmpty();

        sql("ALTER TABLE t_prop ADD COLUMN email VARCHAR(40)",
                "ALTER TABLE t_prop DROP COLUMN legacy",
                retype("t_prop", "score", "BIGINT"),
                retype("t_prop", "ratio", doubleType()),
                retype("t_prop", "name", "VARCHAR(50)"),
                "INSERT INTO t_prop (id, name, score, ratio, email, updated_at) VALUES (4, 'dee', 5000000000, 4.25, 'dee@x.org', '2024-01-02 00:00:04')",
                "UPDATE t_prop SET email = 'ann@x.org', updated_at = '2024-01-02 00:00:05' WHERE id = 1");
        JobRecord second = sync("prop", JobStatus.SUCCEEDED);
        assertThat(second.records()).isEqualTo(2);
        List<SchemaChange> changes = changes(second);
        assertThat(changes).extracting(SchemaChange::kind, SchemaChange::column, SchemaChange::action).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Kind.COLUMN_ADDED, "email", Action.APPLIED),
                org.assertj.core.groups.Tuple.tuple(Kind.COLUMN_REMOVED, "legacy", Action.APPLIED),
                org.assertj.core.groups.Tuple.tuple(Kind.TYPE_WIDENED, "score", Action.APPLIED),
                org.assertj.core.groups.Tuple.tuple(Kind.TYPE_WIDENED, "ratio", Action.APPLIED));
        assertThat(changes).filteredOn(c -> "score".equals(c.column())).extracting(SchemaChange::from, SchemaChange::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("int32", "int64"));

        // every raw file, old schema and new, read together
        String all = "read_parquet('" + lake.resolve("raw/prop") + "/**/*.parquet', union_by_name = true)";
        assertThat(rows("SELECT id, score, email, legacy FROM " + all + " ORDER BY _airbyte_extracted_at, id")).containsExactly(
                Map.of("id", 1, "score", 10L, "legacy", "old-1"), Map.of("id", 2, "score", 20L, "legacy", "old-2"),
                Map.of("id", 3, "score", 30L, "legacy", "old-3"), Map.of("id", 1, "score", 10L, "email", "ann@x.org"),
                Map.of("id", 4, "score", 5_000_000_000L, "email", "dee@x.org"));
        Map<String, String> unionTypes = types("SELECT * FROM " + all);
        assertThat(unionTypes).containsEntry("score", "BIGINT").containsEntry("ratio", "DOUBLE").containsEntry("email", "VARCHAR")
                .containsEntry("legacy", "VARCHAR");
        // the files written after the change carry the new schema: the dropped column is still there, as null
        assertThat(newestFileTypes(lake.resolve("raw/prop"))).containsEntry("score", "BIGINT").containsEntry("email", "VARCHAR")
                .containsEntry("legacy", "VARCHAR");
        // the deduplicated snapshot evolved with the stream: old rows keep their values (score widened, legacy kept)
        String snapshot = "read_parquet('" + lake.resolve("snapshot/prop") + "/**/*.parquet')";
        assertThat(rows("SELECT id, score, ratio, email, legacy FROM " + snapshot + " ORDER BY id")).containsExactly(
                Map.of("id", 1, "score", 10L, "ratio", 0.5, "email", "ann@x.org"),
                Map.of("id", 2, "score", 20L, "ratio", 1.5, "legacy", "old-2"),
                Map.of("id", 3, "score", 30L, "ratio", 2.5, "legacy", "old-3"),
                Map.of("id", 4, "score", 5_000_000_000L, "ratio", 4.25, "email", "dee@x.org"));

        // JMX shows the last job's changes
        String[] jmx = (String[]) java.lang.management.ManagementFactory.getPlatformMBeanServer()
                .getAttribute(dev.caravan.jmx.ConnectionMBeans.name("prop"), "LastSchemaChanges");
        assertThat(jmx).hasSize(4).anyMatch(line -> line.startsWith(stream("t_prop") + ": COLUMN_ADDED email (string) APPLIED"));

        // a sync without further change reports nothing
        sql("INSERT INTO t_prop (id, name, score, ratio, email, updated_at) VALUES (5, 'eve', 1, 1.0, 'eve@x.org', '2024-01-03 00:00:00')");
        JobRecord third = sync("prop", JobStatus.SUCCEEDED);
        assertThat(third.records()).isEqualTo(1);
        assertThat(changes(third)).isEmpty();

        // the API shows what changed and what was applied; Prometheus counts it
        JsonNode job = api.get("/jobs/" + second.id()).json();
        JsonNode recorded = job.get("streams").get(0).get("schema_changes");
        assertThat(recorded).hasSize(4);
        assertThat(recorded.findValuesAsText("kind")).contains("column_added", "column_removed", "type_widened");
        assertThat(recorded.findValuesAsText("action")).containsOnly("applied");
        String metrics = new HttpJson(server.baseUrl()).get("/metrics").text();
        assertThat(metrics).containsPattern("caravan_schema_changes_total\\{[^}]*action=\"applied\"[^}]*connection=\"prop\"[^}]*kind=\"column_added\"[^}]*\\} 1\\.0");
    }

    @Test
    void ignoreKeepsTheFieldsSyncedBefore() throws Exception {
        sync("ign", JobStatus.SUCCEEDED);
        sql("ALTER TABLE t_ign ADD COLUMN extra INT", "INSERT INTO t_ign VALUES (3, 'c', 33)");
        JobRecord second = sync("ign", JobStatus.SUCCEEDED);
        assertThat(second.records()).isEqualTo(3);
        assertThat(changes(second)).extracting(SchemaChange::kind, SchemaChange::column, SchemaChange::action)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.COLUMN_ADDED, "extra", Action.IGNORED));
        String all = "read_parquet('" + lake.resolve("raw/ign") + "/**/*.parquet', union_by_name = true)";
        assertThat(types("SELECT * FROM " + all)).containsKeys("id", "name").doesNotContainKey("extra");
        assertThat(duck.count("SELECT count(*) FROM " + all)).isEqualTo(5);
    }

    @Test
    void pauseStopsTheStreamDisablesTheScheduleAndResumesAfterAccept() throws Exception {
        sync("pause", JobStatus.SUCCEEDED);
        assertThat(server.server().configs().connection("pause").orElseThrow().enabled()).isTrue();
        sql("ALTER TABLE t_pause ADD COLUMN x INT", "INSERT INTO t_pause VALUES (3, 'c', 3)");
        String routeId = dev.caravan.routes.RouteGenerator.streamRouteId("pause", stream("t_pause"));
        org.apache.camel.Route route = server.server().camelContext().getRoute(routeId);
        JobRecord paused = sync("pause", JobStatus.FAILED);
        assertThat(paused.errorType()).isEqualTo("CONFIG");
        assertThat(paused.errorMessage()).contains("is paused (schema_changes: pause)", "COLUMN_ADDED x", "accept-schema");
        assertThat(changes(paused)).extracting(SchemaChange::action).containsExactly(Action.PAUSED);
        Await.enabled(server, "pause", false);
        // the webhook was told, with the job's JSON: its error and the changes
        JsonNode delivered = null;
        for (String body; (body = webhookBodies.poll(20, java.util.concurrent.TimeUnit.SECONDS)) != null; ) {
            JsonNode job = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            if (job.get("id").asLong() == paused.id()) {
                delivered = job;
                break;
            }
        }
        assertThat(delivered).as("webhook delivery of job %s", paused.id()).isNotNull();
        assertThat(delivered.get("error").asText()).contains("is paused (schema_changes: pause)");
        assertThat(delivered.get("streams").get(0).get("schema_changes").get(0).get("action").asText()).isEqualTo("paused");
        // disabling rewrote the connection's route file: wait for its reload
        route = server.awaitStartedRoute(routeId, route);
        // nothing was written by the paused job
        assertThat(duck.count("SELECT count(*) FROM read_parquet('" + lake.resolve("raw/pause") + "/**/*.parquet')")).isEqualTo(2);
        // still paused on the next manual sync, until someone accepts
        sync("pause", JobStatus.FAILED);

        HttpJson.Response accepted = api.post("/connections/accept-schema", "{\"connection\": \"pause\"}");
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
        assertThat(accepted.json().get("accepted_streams").get(0).asText()).isEqualTo(stream("t_pause"));
        assertThat(api.post("/connections/pause/enable", "").status()).isEqualTo(200);
        server.awaitStartedRoute(routeId, route);
        JobRecord resumed = sync("pause", JobStatus.SUCCEEDED);
        assertThat(changes(resumed)).isEmpty();
        String all = "read_parquet('" + lake.resolve("raw/pause") + "/**/*.parquet', union_by_name = true)";
        assertThat(duck.count("SELECT count(*) FROM " + all + " WHERE x = 3")).isEqualTo(1);
        assertThat(server.server().configs().connection("pause").orElseThrow().enabled()).isTrue();
    }

    @Test
    void breakingChangesStopTheirStreamWithTheFixAndTheOtherStreamsContinue() throws Exception {
        sync("brk", JobStatus.SUCCEEDED);
        sql("ALTER TABLE t_cursor DROP COLUMN updated_at", retype("t_code", "code", "VARCHAR(20)"), "INSERT INTO t_fine VALUES (4, 'd')");
        JobRecord broken = sync("brk", JobStatus.FAILED);
        assertThat(broken.errorType()).isEqualTo("CONFIG");
        JobStreamRecord cursor = stream(broken, stream("t_cursor"));
        assertThat(cursor.status()).isEqualTo(JobStatus.FAILED);
        assertThat(cursor.errorMessage()).contains("CURSOR_REMOVED updated_at", "Fix: set another cursor_field");
        JobStreamRecord code = stream(broken, stream("t_code"));
        assertThat(code.status()).isEqualTo(JobStatus.FAILED);
        assertThat(code.errorMessage()).contains("TYPE_CHANGED code (int32 -> string)", "accept-schema");
        assertThat(code.schemaChanges()).extracting(SchemaChange::action, SchemaChange::breaking).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Action.STOPPED, true));
        JobStreamRecord fine = stream(broken, stream("t_fine"));
        assertThat(fine.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(fine.records()).isEqualTo(4);

        // the incompatible type is accepted for its stream: new files carry the new type beside the old ones
        assertThat(api.post("/connections/accept-schema", "{\"connection\": \"brk\", \"streams\": [\"" + stream("t_code") + "\"]}").status())
                .isEqualTo(200);
        JobRecord after = sync("brk", JobStatus.FAILED);
        assertThat(stream(after, stream("t_code")).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stream(after, stream("t_cursor")).status()).isEqualTo(JobStatus.FAILED);
        assertThat(newestFileTypes(lake.resolve("raw/brk/" + stream("t_code")))).containsEntry("code", "VARCHAR");
        assertThat(duck.rows("SELECT CAST(code AS VARCHAR) AS code FROM read_parquet('" + lake.resolve("raw/brk/" + stream("t_code"))
                + "/**/*.parquet', union_by_name = true)")).containsExactly(Map.of("code", "7"), Map.of("code", "7"));
    }

    @Test
    void backfillNewColumnsReadsAnIncrementalStreamAgainSoOldRowsGetTheColumn() throws Exception {
        sync("back", JobStatus.SUCCEEDED);
        sql("ALTER TABLE t_back ADD COLUMN tier VARCHAR(10) DEFAULT 'gold'");
        JobRecord second = sync("back", JobStatus.SUCCEEDED);
        assertThat(second.records()).as("all rows read again").isEqualTo(3);
        assertThat(stream(second, stream("t_back")).warnings()).anyMatch(w -> w.contains("backfill_new_columns"));
        String all = "read_parquet('" + lake.resolve("raw/back") + "/**/*.parquet', union_by_name = true)";
        assertThat(duck.count("SELECT count(*) FROM " + all)).isEqualTo(6);
        assertThat(duck.count("SELECT count(*) FROM " + all + " WHERE tier = 'gold'")).isEqualTo(3);
        // the next sync is incremental again
        JobRecord third = sync("back", JobStatus.SUCCEEDED);
        assertThat(third.records()).isZero();
    }

    @Test
    void flattenJsonDepthWritesJsonObjectsAsParentChildColumnsBesideTheJsonColumn() throws Exception {
        sync("flat", JobStatus.SUCCEEDED);
        String files = "read_parquet('" + lake.resolve("raw/flat") + "/**/*.parquet', union_by_name = true)";
        Map<String, String> columns = types("SELECT * FROM " + files);
        assertThat(columns).containsEntry("doc_city", "VARCHAR").containsEntry("doc_geo_lat", "DOUBLE").containsEntry("doc_geo_lon", "DOUBLE")
                .containsKeys("doc", "doc_geo_src", "doc_tags");
        assertThat(rows("SELECT id, doc_city, doc_geo_lat, doc_geo_lon, CAST(doc_geo_src AS VARCHAR) AS src, CAST(doc_tags AS VARCHAR) AS tags FROM "
                + files + " ORDER BY id")).containsExactly(
                Map.of("id", 1, "doc_city", "Oslo", "doc_geo_lat", 59.9, "doc_geo_lon", 10.75, "src", "{\"k\":1}", "tags", "[\"a\"]"),
                Map.of("id", 2, "doc_city", "Rome", "doc_geo_lat", 41.9),
                Map.of("id", 3));
        assertThat(duck.count("SELECT count(*) FROM " + files + " WHERE doc IS NOT NULL")).as("the JSON column is kept").isEqualTo(2);
    }

    JobRecord sync(String connection, JobStatus expected) {
        JobRecord job = server.server().syncNow(connection).orElseThrow();
        assertThat(job.status()).as("job %s of %s: %s", job.id(), connection, job.errorMessage()).isEqualTo(expected);
        return job;
    }

    private static List<SchemaChange> changes(JobRecord job) {
        return job.streams().stream().flatMap(s -> s.schemaChanges().stream()).toList();
    }

    private static JobStreamRecord stream(JobRecord job, String name) {
        return job.streams().stream().filter(s -> s.stream().equals(name)).reduce((a, b) -> b).orElseThrow();
    }

    /** Rows read with DuckDB, each without its null columns. */
    private List<Map<String, Object>> rows(String select) {
        return duck.rows(select).stream().map(row -> {
            Map<String, Object> present = new java.util.LinkedHashMap<>(row);
            present.values().removeIf(java.util.Objects::isNull);
            return present;
        }).toList();
    }

    private Map<String, String> types(String select) {
        Map<String, String> types = new java.util.LinkedHashMap<>();
        for (Map<String, Object> row : duck.rows("DESCRIBE " + select)) {
            types.put((String) row.get("column_name"), (String) row.get("column_type"));
        }
        return types;
    }

    /** The column types of the file written last under {@code directory}. */
    private Map<String, String> newestFileTypes(Path directory) throws Exception {
        Path newest;
        try (var files = Files.walk(directory)) {
            newest = files.filter(f -> f.toString().endsWith(".parquet"))
                    .max(java.util.Comparator.comparing(f -> f.toFile().lastModified())).orElseThrow();
        }
        return types("SELECT * FROM read_parquet('" + newest + "')");
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Waits for the pause listener (it runs when the job has ended). */
    private static final class Await {
        static void enabled(TestingServer server, String connection, boolean enabled) throws InterruptedException {
            dev.caravan.testing.Await.until("connection " + connection + " enabled=" + enabled,
                    () -> server.server().configs().connection(connection).orElseThrow().enabled() == enabled);
        }
    }
}
