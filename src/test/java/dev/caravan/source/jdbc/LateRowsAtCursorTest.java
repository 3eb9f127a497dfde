package dev.caravan.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStreamRecord;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingMariaDb;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows committed later with the cursor value an incremental sync stopped at: with a primary key (composite here) the
 * next sync reads that value again and skips only the keys it read, so a late row with a lower key is neither lost nor
 * is any row duplicated; past {@code max_keys_at_cursor} keys, and without a primary key, the job says what the next
 * sync will not read. Through a running server on the real PostgreSQL and MariaDB, Parquet read back with DuckDB.
 */
class LateRowsAtCursorTest {

    /** The SQL that differs between the two databases. */
    private record Database(String connector, String stream, String keylessStream, String timestamp, String config) {
    }

    @Test
    void postgres(@TempDir Path home) throws Exception {
        try (TestingPostgres pg = new TestingPostgres(); Connection c = pg.connect()) {
            String rest = pg.jdbcUrl().substring("jdbc:postgresql://127.0.0.1:".length());
            String config = "{host: 127.0.0.1, port: %s, database: %s, username: postgres"
                    .formatted(rest.substring(0, rest.indexOf('/')), rest.substring(rest.indexOf('/') + 1));
            lateRowsAreReadOnce(home, c, new Database("postgres", "public.late", "public.late_nokey", "timestamp", config));
        }
    }

    @Test
    void mariaDb(@TempDir Path home) throws Exception {
        try (TestingMariaDb maria = new TestingMariaDb(); Connection c = maria.connect()) {
            String config = "{host: 127.0.0.1, port: %d, database: %s, username: root".formatted(maria.port(), maria.database());
            lateRowsAreReadOnce(home, c, new Database("mysql", maria.database() + ".late", maria.database() + ".late_nokey",
                    "DATETIME(6)", config));
        }
    }

    private static void lateRowsAreReadOnce(Path home, Connection db, Database d) throws Exception {
        Path lake = home.resolve("lake");
        execute(db, "CREATE TABLE late (grp INT NOT NULL, id INT NOT NULL, seen_at " + d.timestamp() + " NOT NULL, note VARCHAR(40), "
                        + "PRIMARY KEY (grp, id))",
                "CREATE TABLE late_nokey (id INT NOT NULL, seen_at " + d.timestamp() + " NOT NULL)",
                "INSERT INTO late VALUES (1, 1, '2024-01-01 10:00:00', 'a'), (1, 2, '2024-01-02 10:00:00', 'b'), "
                        + "(2, 5, '2024-01-03 10:00:00', 'c'), (2, 7, '2024-01-03 10:00:00', 'd'), (3, 1, '2024-01-03 10:00:00', 'e')",
                "INSERT INTO late_nokey VALUES (1, '2024-01-01 10:00:00'), (2, '2024-01-02 10:00:00')");
        try (TestingServer server = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            server.server().apply("sources:\n"
                    + "  - {name: db, connector: " + d.connector() + ", config: " + d.config() + "}}\n"
                    + "  - {name: db-few-keys, connector: " + d.connector() + ", config: " + d.config() + ", max_keys_at_cursor: 2}}\n"
                    + JdbcTesting.lakeDestination(lake)
                    + "connections:\n"
                    + "  - {name: keyed, source: db, destination: lake, namespace: keyed, streams: [{name: " + d.stream()
                    + ", sync_mode: incremental_append, cursor_field: seen_at}]}\n"
                    + "  - {name: few, source: db-few-keys, destination: lake, namespace: few, streams: [{name: " + d.stream()
                    + ", sync_mode: incremental_append, cursor_field: seen_at}]}\n"
                    + "  - {name: nokey, source: db, destination: lake, namespace: nokey, streams: [{name: " + d.keylessStream()
                    + ", sync_mode: incremental_append, cursor_field: seen_at}]}\n", "late.yaml");

            // first syncs: everything; the keyed state lists the three keys at the last cursor value
            JobRecord first = JdbcTesting.sync(server, "keyed");
            assertThat(first.records()).isEqualTo(5);
            assertThat(stream(first).warnings()).isEmpty();
            Map<String, Object> state = server.server().states().load("keyed", d.stream()).orElseThrow().state();
            assertThat(state.get("keys_at_cursor")).isEqualTo(List.of(List.of(2L, 5L), List.of(2L, 7L), List.of(3L, 1L)));
            JobRecord few = JdbcTesting.sync(server, "few");
            assertThat(few.records()).isEqualTo(5);
            assertThat(server.server().states().load("few", d.stream()).orElseThrow().state())
                    .as("three rows at the last cursor value do not fit in two keys: the state resumes after the last key")
                    .containsEntry("pk", List.of(3L, 1L)).doesNotContainKey("keys_at_cursor");
            assertThat(stream(few).warnings()).singleElement().asString()
                    .contains("more than 2 rows (max_keys_at_cursor) have it").contains("resumes after key [3, 1]").contains("raise max_keys_at_cursor");
            JobRecord keyless = JdbcTesting.sync(server, "nokey");
            assertThat(keyless.records()).isEqualTo(2);
            assertThat(stream(keyless).warnings()).singleElement().asString()
                    .contains("has no primary key").contains("a row added later with cursor value").contains("set the stream's primary_key");
            JsonNode shown = new HttpJson(server.apiUrl()).get("/jobs/" + keyless.id()).json();
            assertThat(shown.at("/streams/0/warnings/0").asText()).contains("has no primary key");

            // late rows at the last cursor value (keys below, between and above the ones read), and a later one
            execute(db, "INSERT INTO late VALUES (1, 9, '2024-01-03 10:00:00', 'late low'), (2, 6, '2024-01-03 10:00:00', 'late middle'), "
                            + "(4, 1, '2024-01-03 10:00:00', 'late high'), (1, 3, '2024-01-04 10:00:00', 'newer')",
                    "INSERT INTO late_nokey VALUES (3, '2024-01-02 10:00:00'), (4, '2024-01-03 10:00:00')");

            JobRecord second = JdbcTesting.sync(server, "keyed");
            assertThat(second.records()).as("exactly the four new rows").isEqualTo(4);
            assertThat(JdbcTesting.sync(server, "keyed").records()).isZero();
            Path keyedOut = lake.resolve("raw/keyed/" + d.stream());
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(keyedOut))).isEqualTo(9);
            assertThat(duck.count("SELECT count(DISTINCT (grp, id)) FROM " + ParquetQuery.files(keyedOut))).isEqualTo(9);
            assertThat(duck.rows("SELECT note FROM " + ParquetQuery.files(keyedOut) + " WHERE note LIKE 'late%' ORDER BY grp"))
                    .extracting(r -> r.get("note")).containsExactly("late low", "late middle", "late high");

            // past the limit: what the warning said — the late row with a lower key is not read, the higher one is
            JobRecord fewSecond = JdbcTesting.sync(server, "few");
            Path fewOut = lake.resolve("raw/few/" + d.stream());
            assertThat(duck.rows("SELECT note FROM " + ParquetQuery.files(fewOut) + " WHERE note IN ('late low', 'late middle', "
                    + "'late high', 'newer') ORDER BY note")).extracting(r -> r.get("note")).containsExactly("late high", "newer");
            assertThat(fewSecond.records()).isEqualTo(2);

            // without a key: rows after the last cursor value are read, the late one at it is not (as the job said)
            assertThat(JdbcTesting.sync(server, "nokey").records()).isEqualTo(1);
            assertThat(duck.rows("SELECT id FROM " + ParquetQuery.files(lake.resolve("raw/nokey/" + d.keylessStream())) + " ORDER BY id"))
                    .extracting(r -> ((Number) r.get("id")).intValue()).containsExactly(1, 2, 4);
        }
    }

    private static JobStreamRecord stream(JobRecord job) {
        assertThat(job.streams()).hasSize(1);
        return job.streams().get(0);
    }

    private static void execute(Connection db, String... sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }
}
