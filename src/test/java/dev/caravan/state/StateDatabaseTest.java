package dev.caravan.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening the store migrates it once (a new embedded one is a copy of the build's migrated store); later opens of a current
 * store skip Flyway; a newer store goes to Flyway.
 */
class StateDatabaseTest {

    @Test
    void theSchemaVersionIsTheNewestMigration() throws Exception {
        String newest;
        try (Stream<Path> files = Files.list(Path.of("state-repo/src/main/resources/db/caravan"))) {
            newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9.]+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.')).max(StateDatabase::compareVersions).orElseThrow();
        }
        // the Java migrations (QuartzTablesMigration: 10.1) are older than the newest SQL one
        assertThat(StateDatabase.compareVersions(newest, "10.1")).isPositive();
        assertThat(StateDatabase.SCHEMA_VERSION).as("bump SCHEMA_VERSION with every migration").isEqualTo(newest);
        assertThat(StateDatabase.compareVersions("10.1", "10")).isPositive();
        assertThat(StateDatabase.compareVersions("11", "10.1")).isPositive();
        assertThat(StateDatabase.compareVersions("11", "11.0")).isZero();
    }

    @Test
    void aCurrentStoreOpensWithoutMigratingAndANewerOneIsRefused(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("store") + ";WRITE_DELAY=0";
        try (StateDatabase fresh = StateDatabase.open(url, "", "", false); Connection c = fresh.dataSource().getConnection();
             Statement s = c.createStatement();
             java.sql.ResultSet delay = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(StateDatabase.isCurrent(fresh.dataSource())).as("migrated on first open").isTrue();
            assertThat(delay.next()).isTrue();
            assertThat(delay.getString(1)).as("after migrating, every commit is written as it happens again").isEqualTo("0");
        }
        try (StateDatabase again = StateDatabase.open(url, "", ""); Connection c = again.dataSource().getConnection();
             Statement s = c.createStatement()) {
            assertThat(StateDatabase.isCurrent(again.dataSource())).isTrue();
            // a newer server migrated this store
            s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\","
                    + " \"installed_by\", \"installed_on\", \"execution_time\", \"success\") SELECT max(\"installed_rank\") + 1, '99', 'future',"
                    + " 'SQL', 'V99__future.sql', 0, 'test', CURRENT_TIMESTAMP, 0, TRUE FROM \"flyway_schema_history\"");
            assertThat(StateDatabase.isCurrent(again.dataSource())).isFalse();
        }
        // Flyway decides then, as before: its default accepts a store migrated further by a newer server
        try (StateDatabase newer = StateDatabase.open(url, "", "")) {
            assertThat(StateDatabase.isCurrent(newer.dataSource())).isFalse();
        }
    }

    @Test
    void aNewEmbeddedStoreIsTheBuildsTemplateAndEqualsAMigratedOne(@TempDir Path dir) throws Exception {
        assertThat(H2StoreTemplate.class.getClassLoader().getResource(H2StoreTemplate.RESOURCE))
                .as("the build (exec-maven-plugin, process-classes) writes the template").isNotNull();
        String copied = "jdbc:h2:file:" + dir.resolve("copied") + ";WRITE_DELAY=0";
        String migrated = "jdbc:h2:file:" + dir.resolve("migrated") + ";WRITE_DELAY=0";
        try (StateDatabase fromTemplate = StateDatabase.open(copied, "", "");
             StateDatabase fromFlyway = StateDatabase.open(migrated, "", "", false)) {
            assertThat(Files.size(dir.resolve("copied.mv.db"))).isEqualTo(templateSize());
            assertThat(StateDatabase.isCurrent(fromTemplate.dataSource())).isTrue();
            assertThat(definitions(fromTemplate)).as("tables, indexes, constraints, sequences").isEqualTo(definitions(fromFlyway))
                    .anyMatch(line -> line.contains("CARAVAN_JOB_STREAM")).anyMatch(line -> line.contains("CARAVAN_DEFINITION_VERSION"));
            assertThat(rows(fromTemplate)).as("the migrations' rows").isEqualTo(rows(fromFlyway)).isNotEmpty();
            assertThat(history(fromTemplate)).isEqualTo(history(fromFlyway)).hasSizeGreaterThan(10);
            try (Connection c = fromTemplate.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO caravan_node (node_id, started_at, heartbeat_at) VALUES ('n', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            }
        }
        try (StateDatabase reopened = StateDatabase.open(copied, "", ""); Connection c = reopened.dataSource().getConnection();
             Statement s = c.createStatement(); ResultSet nodes = s.executeQuery("SELECT count(*) FROM caravan_node")) {
            assertThat(nodes.next()).isTrue();
            assertThat(nodes.getInt(1)).as("an existing store is never replaced by the template").isEqualTo(1);
        }
    }

    @Test
    void theTemplateIsUsedOnlyWhereItIsWhatTheMigrationsWouldMake(@TempDir Path dir) throws Exception {
        String base = "jdbc:h2:file:" + dir.resolve("s");
        assertThat(H2StoreTemplate.newDatabaseFile(base + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", "", null)).isEqualTo(Path.of(dir.resolve("s") + ".mv.db"));
        assertThat(H2StoreTemplate.newDatabaseFile(base, "admin", "")).as("a user of its own").isNull();
        assertThat(H2StoreTemplate.newDatabaseFile(base, "", "secret")).as("a password").isNull();
        assertThat(H2StoreTemplate.newDatabaseFile(base + ";CIPHER=AES", "", "")).as("an encrypted file").isNull();
        assertThat(H2StoreTemplate.newDatabaseFile(base + ";MODE=PostgreSQL", "", "")).as("a compatibility mode").isNull();
        assertThat(H2StoreTemplate.newDatabaseFile("jdbc:h2:file:data/s", "", "")).as("a relative name").isNull();
        assertThat(H2StoreTemplate.newDatabaseFile("jdbc:h2:mem:s", "", "")).isNull();
        assertThat(H2StoreTemplate.newDatabaseFile("jdbc:postgresql://localhost/caravan", "", "")).isNull();
        Files.writeString(Path.of(dir.resolve("s") + ".mv.db"), "not a template");
        assertThat(H2StoreTemplate.newDatabaseFile(base, "", "")).as("an existing file").isNull();
        assertThat(H2StoreTemplate.seed(base, "", "")).isFalse();
        assertThat(Files.readString(Path.of(dir.resolve("s") + ".mv.db"))).isEqualTo("not a template");

        // with a user, Flyway creates the store as before
        String withUser = "jdbc:h2:file:" + dir.resolve("u") + ";WRITE_DELAY=0";
        try (StateDatabase store = StateDatabase.open(withUser, "caravan", "pw")) {
            assertThat(StateDatabase.isCurrent(store.dataSource())).isTrue();
            assertThat(Files.size(dir.resolve("u.mv.db"))).isNotEqualTo(templateSize());
        }
    }

    private static long templateSize() throws Exception {
        return Path.of(H2StoreTemplate.class.getClassLoader().getResource(H2StoreTemplate.RESOURCE).toURI()).toFile().length();
    }

    /** The schema as H2 scripts it, without the user line (its salt and hash differ from store to store). */
    private static List<String> definitions(StateDatabase store) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet script = s.executeQuery("SCRIPT NODATA")) {
            while (script.next()) {
                String line = script.getString(1);
                if (!line.startsWith("CREATE USER")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /** Every row of every table but the migration history, as text. */
    private static List<String> rows(StateDatabase store) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet names = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'"
                    + " AND TABLE_NAME <> 'flyway_schema_history' ORDER BY TABLE_NAME")) {
                while (names.next()) {
                    tables.add(names.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet all = s.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY 1")) {
                    while (all.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int i = 1; i <= all.getMetaData().getColumnCount(); i++) {
                            row.append('|').append(all.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    private static List<String> history(StateDatabase store) throws SQLException {
        List<String> history = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT \"version\", \"description\", \"type\", \"script\", \"checksum\", \"success\""
                     + " FROM \"flyway_schema_history\" ORDER BY \"installed_rank\"")) {
            while (rows.next()) {
                history.add(rows.getString(1) + "|" + rows.getString(2) + "|" + rows.getString(3) + "|" + rows.getString(4) + "|"
                        + rows.getString(5) + "|" + rows.getString(6));
            }
        }
        return history;
    }
}
