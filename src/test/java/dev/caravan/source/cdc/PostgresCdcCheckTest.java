package dev.caravan.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import dev.caravan.testing.LogCapture;
import dev.caravan.testing.TestingLogicalPostgres;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The postgres-cdc connector against real servers: check names each unmet requirement with its fix (the machine's own
 * PostgreSQL has wal_level = replica; a role without REPLICATION; a slot in use), discover offers the tables with a key
 * and the CDC columns, and config problems are all reported at once.
 */
class PostgresCdcCheckTest {
    private final PostgresCdcSource source = new PostgresCdcSource();

    private static ConnectorConfig config(int port, String database, String user, Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>(Map.of("host", "127.0.0.1", "port", port, "database", database, "username", user));
        values.putAll(extra);
        return PostgresCdcSource.SPEC.validate(values, "");
    }

    @Test
    void aServerWithoutLogicalDecodingFailsCheckAndReadWithTheFix() {
        // the machine's PostgreSQL runs with wal_level = replica
        ConnectorConfig local = config(5432, "test", "postgres", Map.of());
        CheckResult result = source.check(local);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).contains("wal_level = replica").contains("Fix: set wal_level = logical");
        assertThatThrownBy(() -> source.read(local, new ReadRequest("public.anything", List.of(), SyncMode.INCREMENTAL_APPEND, CdcColumns.LSN,
                List.of(), Map.of(), 100)))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CONFIG))
                .hasMessageContaining("wal_level");
    }

    @Test
    void checkNamesAMissingReplicationAttributeAndASlotInUse() throws Exception {
        try (TestingLogicalPostgres pg = new TestingLogicalPostgres()) {
            pg.execute("CREATE TABLE keyed (id int PRIMARY KEY, v text)", "CREATE TABLE keyless (v text)", "INSERT INTO keyed VALUES (1, 'a')");
            String role = "reader_" + pg.database().substring(pg.database().length() - 6);
            pg.admin("CREATE ROLE " + role + " LOGIN", "GRANT ALL ON DATABASE " + pg.database() + " TO " + role);
            pg.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
            CheckResult noReplication = source.check(config(pg.port(), pg.database(), role, Map.of()));
            assertThat(noReplication.succeeded()).isFalse();
            assertThat(noReplication.message()).contains("lacks the REPLICATION attribute").contains("ALTER ROLE \"" + role + "\" WITH REPLICATION");

            ConnectorConfig config = config(pg.port(), pg.database(), "postgres", Map.of("slot_prefix", "chk", "idle_seconds", 1));
            assertThat(source.check(config).succeeded()).as(source.check(config).message()).isTrue();
            List<CatalogStream> streams = source.discover(config).streams();
            assertThat(streams).extracting(CatalogStream::name).containsExactly("public.keyed");
            assertThat(streams.get(0).schema().names()).containsExactly("id", "v", "_ab_cdc_lsn", "_ab_cdc_updated_at", "_ab_cdc_deleted_at");
            assertThat(streams.get(0).defaultCursorField()).isEqualTo(CdcColumns.LSN);
            assertThat(streams.get(0).supportedSyncModes()).containsExactly(SyncMode.INCREMENTAL_APPEND, SyncMode.INCREMENTAL_APPEND_DEDUPED);

            ReadRequest request = new ReadRequest("public.keyed", List.of(), SyncMode.INCREMENTAL_APPEND, CdcColumns.LSN, List.of("id"), Map.of(), 100);
            try (StreamReader reader = source.read(config, request)) {
                RecordBatch batch = reader.next();
                assertThat(batch.rows()).hasSize(1);
                // wait until the reader streams from its slot, then a second reader of the same stream is refused
                long deadline = System.currentTimeMillis() + 20_000;
                while (reader.next() != null && System.currentTimeMillis() < deadline) {
                    // drains to the end of the scheduled read
                }
            }
            try (StreamReader first = source.read(config, request)) {
                first.next();
                awaitActiveSlot(pg, "chk_public_keyed");
                assertThatThrownBy(() -> source.read(config, request)).isInstanceOfSatisfying(CaravanException.class,
                        e -> assertThat(e.type()).isEqualTo(ErrorType.CONFIG)).hasMessageContaining("chk_public_keyed is in use by server process");
                CheckResult inUse = source.check(config);
                assertThat(inUse.succeeded()).isFalse();
                assertThat(inUse.message()).contains("chk_public_keyed is in use").contains("pg_terminate_backend");
            }
            source.dropSlot(config, "public.keyed");
            try (var c = pg.connect(); var rs = c.createStatement().executeQuery(
                    "SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'chk_public_keyed') + "
                            + "(SELECT count(*) FROM pg_publication WHERE pubname = 'chk_public_keyed')")) {
                rs.next();
                assertThat(rs.getInt(1)).as("slot and publication dropped").isZero();
            }
        }
    }

    @Test
    void thePasswordIsNeverLogged() {
        String password = "Sup3r-Secret-Pw-4711";
        try (TestingLogicalPostgres pg = new TestingLogicalPostgres(); LogCapture logs = new LogCapture()) {
            pg.execute("CREATE TABLE keyed (id int PRIMARY KEY)", "INSERT INTO keyed VALUES (1)");
            ConnectorConfig config = config(pg.port(), pg.database(), "postgres", Map.of("password", password, "slot_prefix", "pw"));
            try (StreamReader reader = source.read(config, new ReadRequest("public.keyed", List.of(), SyncMode.INCREMENTAL_APPEND, CdcColumns.LSN,
                    List.of("id"), Map.of(), 100))) {
                assertThat(reader.next().rows()).hasSize(1);
            }
            assertThat(logs.text()).contains("database.password = ********").doesNotContain(password);
        }
    }

    @Test
    void configProblemsAreReportedTogether() {
        assertThatThrownBy(() -> PgCdcSettings.of(PostgresCdcSource.SPEC.validate(Map.of("host", "db/x", "database", "d", "username", "u",
                "slot_prefix", "Bad-Prefix"), "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("host").hasMessageContaining("slot_prefix").hasMessageContaining("Bad-Prefix");
    }

    @Test
    void slotNamesFitPostgresLimits() {
        PgCdcSettings settings = PgCdcSettings.of(PostgresCdcSource.SPEC.validate(Map.of("host", "h", "database", "d", "username", "u"), ""));
        assertThat(settings.slotName("Public", "Order Items")).isEqualTo("caravan_public_order_items");
        String longName = settings.slotName("s", "t".repeat(100));
        assertThat(longName).hasSizeLessThanOrEqualTo(63).startsWith("caravan_s_ttt").isNotEqualTo(settings.slotName("s", "t".repeat(101)));
    }

    private static void awaitActiveSlot(TestingLogicalPostgres pg, String slot) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try (var c = pg.connect(); var rs = c.createStatement().executeQuery(
                    "SELECT active_pid FROM pg_replication_slots WHERE slot_name = '" + slot + "' AND active_pid IS NOT NULL")) {
                if (rs.next()) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("slot " + slot + " never became active");
    }
}
