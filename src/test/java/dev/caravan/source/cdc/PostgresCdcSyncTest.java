package dev.caravan.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingLogicalPostgres;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A postgres-cdc connection synced by the server into the local lake, read back with DuckDB: the initial snapshot,
 * then inserts, updates (of the primary key too), deletes, a rolled-back transaction, a large transaction and a column
 * added mid-stream; the deduplicated snapshot applies the deletes; every change arrives once across syncs. A second
 * stream of the same connection reads through its own slot.
 */
class PostgresCdcSyncTest {

    @Test
    void snapshotThenChangesExactlyOnceWithDeletesApplied(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingLogicalPostgres pg = new TestingLogicalPostgres(); TestingServer testing = new TestingServer(home);
             ParquetQuery duck = new ParquetQuery()) {
            pg.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2), seen timestamptz)",
                    "INSERT INTO items VALUES (1, 'one', 1.50, '2026-01-01T00:00:00Z'), (2, 'two', 2.50, NULL), (3, 'three', 3.50, NULL)",
                    "CREATE TABLE tags (tag text PRIMARY KEY)", "INSERT INTO tags VALUES ('a'), ('b')");
            testing.server().apply("""
                    sources:
                      - {name: shop-cdc, connector: postgres-cdc, config: {host: 127.0.0.1, port: %d, database: %s, username: postgres, idle_seconds: 2}}
                    destinations:
                      - {name: lake, connector: local, config: {path: "%s"}}
                    connections:
                      - name: items-cdc
                        source: shop-cdc
                        destination: lake
                        namespace: shop
                        streams:
                          - {name: public.items, sync_mode: incremental_append_deduped, cursor_field: _ab_cdc_lsn, primary_key: [id]}
                          - {name: public.tags, sync_mode: incremental_append, cursor_field: _ab_cdc_lsn, primary_key: [tag]}
                    """.formatted(pg.port(), pg.database(), lake), "cdc.yaml");
            Path raw = lake.resolve("raw/shop/public.items");
            Path snapshot = lake.resolve("snapshot/shop/public.items");

            JobRecord first = sync(testing);
            assertThat(first.records()).isEqualTo(3 + 2);
            assertThat(duck.rows("SELECT id, name, price, _ab_cdc_deleted_at FROM " + ParquetQuery.files(snapshot) + " ORDER BY id"))
                    .extracting(r -> r.get("id") + ":" + r.get("name") + ":" + r.get("price") + ":" + r.get("_ab_cdc_deleted_at"))
                    .containsExactly("1:one:1.50:null", "2:two:2.50:null", "3:three:3.50:null");

            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO items VALUES (4, 'four', 4.00, now())");
                s.execute("DELETE FROM tags WHERE tag = 'a'");
                s.execute("UPDATE items SET name = 'ONE' WHERE id = 1");
                s.execute("DELETE FROM items WHERE id = 2");
                s.execute("UPDATE items SET id = 30 WHERE id = 3");
                c.setAutoCommit(false);
                s.execute("INSERT INTO items VALUES (99, 'rolled back', 0, NULL)");
                c.rollback();
                s.execute("INSERT INTO items SELECT g, 'bulk ' || g, g, NULL FROM generate_series(1000, 5999) g");
                c.commit();
            }
            JobRecord second = sync(testing);
            // insert 4, update 1, delete 2, key change 3 -> 30 (delete + insert), 5000 bulk inserts
            assertThat(second.records()).isEqualTo(1 + 1 + 1 + 2 + 5000 + 1);
            // the second stream has its own slot: its delete arrived once, in its own output
            assertThat(duck.rows("SELECT tag, _ab_cdc_deleted_at IS NOT NULL AS deleted FROM " + ParquetQuery.files(lake.resolve("raw/shop/public.tags"))
                    + " ORDER BY _ab_cdc_lsn, tag")).extracting(r -> r.get("tag") + ":" + r.get("deleted")).containsExactly("a:false", "b:false", "a:true");
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(raw) + " WHERE id = 99")).isZero();
            assertThat(duck.rows("SELECT id, name FROM " + ParquetQuery.files(snapshot) + " WHERE id < 1000 ORDER BY id"))
                    .extracting(r -> r.get("id") + ":" + r.get("name"))
                    .containsExactly("1:ONE", "4:four", "30:three");
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(snapshot))).isEqualTo(3 + 5000);
            assertThat(duck.rows("SELECT id, _ab_cdc_deleted_at IS NOT NULL AS deleted FROM " + ParquetQuery.files(raw)
                    + " WHERE id IN (2, 3) AND _ab_cdc_deleted_at IS NOT NULL ORDER BY id"))
                    .extracting(r -> r.get("id")).containsExactly(2, 3);

            JobRecord idle = sync(testing);
            assertThat(idle.records()).isZero();
            // each sync confirms to the server the position committed by the one before: the log behind it can be recycled
            long maxLsn = duck.count("SELECT max(_ab_cdc_lsn) FROM " + ParquetQuery.files(raw));
            try (Connection c = pg.connect(); var rs = c.createStatement().executeQuery(
                    "SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots WHERE slot_name = 'caravan_public_items'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("slot confirmed past the last durable change").isGreaterThan(maxLsn);
            }

            // an idle table does not hold the log back: changes of other tables pass, and two syncs later the slot is past them
            pg.execute("CREATE TABLE other (id int PRIMARY KEY)", "INSERT INTO other SELECT generate_series(1, 1000)");
            long afterOther;
            try (Connection c = pg.connect(); var rs = c.createStatement().executeQuery("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
                rs.next();
                afterOther = rs.getLong(1);
            }
            assertThat(sync(testing).records()).isZero();
            assertThat(sync(testing).records()).isZero();
            try (Connection c = pg.connect(); var rs = c.createStatement().executeQuery(
                    "SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots WHERE slot_name = 'caravan_public_items'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("slot of the idle table confirmed past the other table's changes").isGreaterThanOrEqualTo(afterOther);
            }

            pg.execute("ALTER TABLE items ADD COLUMN color text", "INSERT INTO items VALUES (7, 'seven', 7, NULL, 'red')",
                    "UPDATE items SET color = 'blue' WHERE id = 1");
            JobRecord afterDdl = sync(testing);
            assertThat(afterDdl.records()).isEqualTo(2);
            assertThat(duck.rows("SELECT id, color FROM " + ParquetQuery.files(snapshot) + " WHERE id IN (1, 7) ORDER BY id"))
                    .extracting(r -> r.get("id") + ":" + r.get("color")).containsExactly("1:blue", "7:red");

            // no change twice: every (lsn, id, deleted) once in the raw history; LSNs grow across syncs
            assertThat(duck.count("SELECT count(*) FROM (SELECT _ab_cdc_lsn, id, _ab_cdc_deleted_at, count(*) c FROM " + ParquetQuery.files(raw)
                    + " GROUP BY ALL HAVING c > 1)")).isZero();
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(raw))).isEqualTo(3 + 5005 + 2);
            // lag: 0 after a sync that caught up, in /metrics and JMX
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(testing.baseUrl() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("caravan_cdc_lag_seconds{reader=\"caravan_public_items\"} 0.0");
            assertThat(java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new javax.management.ObjectName("dev.caravan:type=CdcLag,name=\"caravan_public_items\""), "SecondsBehindSource")).isEqualTo(0.0);
            List<Map<String, Object>> slots = rows(pg, "SELECT slot_name, active FROM pg_replication_slots");
            assertThat(slots).extracting(r -> r.get("slot_name")).contains("caravan_public_items", "caravan_public_tags");

            // deleting the connection drops the slots and publications it created: nothing keeps the server's log any more
            dev.caravan.testing.HttpJson.Response deleted = new dev.caravan.testing.HttpJson(testing.apiUrl()).delete("/connections/items-cdc");
            assertThat(deleted.status()).as(deleted.text()).isIn(200, 204);
            assertThat(rows(pg, "SELECT slot_name FROM pg_replication_slots")).extracting(r -> r.get("slot_name"))
                    .doesNotContain("caravan_public_items", "caravan_public_tags");
            assertThat(rows(pg, "SELECT pubname FROM pg_publication")).extracting(r -> r.get("pubname"))
                    .doesNotContain("caravan_public_items", "caravan_public_tags");
        }
    }

    private static JobRecord sync(TestingServer testing) {
        JobRecord job = testing.server().syncNow("items-cdc").orElseThrow();
        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    private static List<Map<String, Object>> rows(TestingLogicalPostgres pg, String sql) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(Map.of("slot_name", rs.getString(1), "active", rs.getBoolean(2)));
            }
            return out;
        }
    }
}
