package dev.caravan.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the store migrates it once; later opens of a current store skip Flyway; a newer store goes to Flyway. */
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
        try (StateDatabase fresh = StateDatabase.open(url, "", ""); Connection c = fresh.dataSource().getConnection();
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
}
