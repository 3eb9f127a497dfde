package dev.caravan.source.jdbc.postgres;

import static dev.caravan.source.jdbc.JdbcTesting.batches;
import static dev.caravan.source.jdbc.JdbcTesting.readResumingAfterEveryBatch;
import static dev.caravan.source.jdbc.JdbcTesting.request;
import static dev.caravan.source.jdbc.JdbcTesting.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import dev.caravan.testing.TestingPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keyset reads of the postgres connector, reader by reader: every batch's checkpoint resumes exactly after it, for full
 * refresh by a composite key, for incremental by (cursor, key) with many ties and without key; the schema read equals the
 * one discovered; bad cursors and states fail as configuration errors.
 */
class PostgresResumeTest {
    private static final PostgresSource SOURCE = new PostgresSource();
    private static TestingPostgres pg;
    private static ConnectorConfig config;

    @BeforeAll
    static void start() throws Exception {
        pg = new TestingPostgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE pairs (a int, b text, v int, PRIMARY KEY (a, b));
                    INSERT INTO pairs SELECT i / 10, 'k' || (i % 10), i FROM generate_series(0, 999) i;
                    CREATE TABLE ticks (id bigint PRIMARY KEY, at timestamptz, label text);
                    INSERT INTO ticks SELECT i, CASE WHEN i % 50 = 0 THEN NULL ELSE timestamptz '2024-01-01 00:00:00+00' + (i % 7) * interval '1 hour' END,
                      'tick ' || i FROM generate_series(1, 1000) i;
                    CREATE TABLE ticks_nokey AS SELECT id, at FROM ticks;
                    """);
        }
        Map<String, Object> raw = new HashMap<>(Map.of("host", "127.0.0.1", "port", PostgresSourceTest.portOf(pg.jdbcUrl()),
                "database", PostgresSourceTest.databaseOf(pg.jdbcUrl()), "username", "postgres"));
        config = SOURCE.spec().validate(raw, "");
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aFullRefreshResumesAfterTheCompositeKeyOfAnyBatch() {
        List<Object[]> all = rows(SOURCE, config, request("public.pairs", SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(), Map.of(), 1000));
        List<Object[]> resumed = readResumingAfterEveryBatch(SOURCE, config,
                request("public.pairs", SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(), Map.of(), 33));
        assertThat(resumed).hasSize(1000);
        assertThat(resumed).extracting(r -> r[2]).containsExactlyElementsOf(all.stream().map(r -> r[2]).toList());
        assertThat(resumed.stream().map(r -> r[0] + "/" + r[1]).distinct().count()).isEqualTo(1000);

        List<RecordBatch> batches = batches(SOURCE, config, request("public.pairs", SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(), Map.of(), 100));
        assertThat(batches.get(0).checkpoint()).isEqualTo(Map.of("pk", List.of(9L, "k9")));
        List<Object[]> rest = rows(SOURCE, config, request("public.pairs", SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(),
                batches.get(4).checkpoint(), 1000));
        assertThat(rest).hasSize(500);
        assertThat(rest.get(0)).containsExactly(50, "k0", 500);
    }

    @Test
    void incrementalReadsResumeInsideCursorTiesWithoutLossOrDuplicate() {
        List<Object[]> all = rows(SOURCE, config, request("public.ticks", SyncMode.INCREMENTAL_APPEND, "at", List.of("id"), Map.of(), 5000));
        assertThat(all).as("rows with a NULL cursor are not read incrementally").hasSize(980);
        List<Object[]> resumed = readResumingAfterEveryBatch(SOURCE, config,
                request("public.ticks", SyncMode.INCREMENTAL_APPEND, "at", List.of("id"), Map.of(), 17));
        assertThat(resumed).extracting(r -> r[0]).containsExactlyElementsOf(all.stream().map(r -> r[0]).toList());
        assertThat(batches(SOURCE, config, request("public.ticks", SyncMode.INCREMENTAL_APPEND, "at", List.of("id"), Map.of(), 5000))
                .get(0).checkpoint()).isEqualTo(Map.of("cursor", "2024-01-01 06:00:00+00", "keys_at_cursor",
                LongStream.rangeClosed(1, 1000).filter(i -> i % 7 == 6 && i % 50 != 0).mapToObj(List::of).toList()));
    }

    @Test
    void pastMaxKeysAtCursorCheckpointsResumeAfterTheLastKeyWithoutLossOrDuplicate() {
        Map<String, Object> raw = new HashMap<>(config.values());
        raw.put("max_keys_at_cursor", 10);
        ConnectorConfig fewKeys = SOURCE.spec().validate(raw, "");
        List<Object[]> all = rows(SOURCE, config, request("public.ticks", SyncMode.INCREMENTAL_APPEND, "at", List.of("id"), Map.of(), 5000));
        // batches of 7 and of 23: checkpoints inside runs of equal cursor values both below and past the limit
        for (int batchSize : new int[] {7, 23}) {
            List<Object[]> resumed = readResumingAfterEveryBatch(SOURCE, fewKeys,
                    request("public.ticks", SyncMode.INCREMENTAL_APPEND, "at", List.of("id"), Map.of(), batchSize));
            assertThat(resumed).extracting(r -> r[0]).containsExactlyElementsOf(all.stream().map(r -> r[0]).toList());
        }
        List<RecordBatch> batches = batches(SOURCE, fewKeys, request("public.ticks", SyncMode.INCREMENTAL_APPEND, "at", List.of("id"), Map.of(), 5));
        assertThat(batches.get(0).checkpoint()).as("5 keys fit").isEqualTo(Map.of("cursor", "2024-01-01 00:00:00+00",
                "keys_at_cursor", List.of(List.of(7L), List.of(14L), List.of(21L), List.of(28L), List.of(35L))));
        assertThat(batches.get(2).checkpoint()).as("15 keys do not").isEqualTo(Map.of("cursor", "2024-01-01 00:00:00+00", "pk", List.of(105L)));
    }

    @Test
    void withoutKeyACheckpointNeverSplitsRowsOfOneCursorValue() {
        List<Object[]> resumed = readResumingAfterEveryBatch(SOURCE, config,
                request("public.ticks_nokey", SyncMode.INCREMENTAL_APPEND, "at", List.of(), Map.of(), 100));
        assertThat(resumed).hasSize(980);
        assertThat(resumed.stream().map(r -> r[0]).distinct().count()).isEqualTo(980);
        List<RecordBatch> batches = batches(SOURCE, config, request("public.ticks_nokey", SyncMode.INCREMENTAL_APPEND, "at", List.of(), Map.of(), 100));
        assertThat(batches.get(0).checkpoint()).as("the first 100 rows all share the first cursor value").isEmpty();
        assertThat(batches.get(1).checkpoint()).isEqualTo(Map.of("cursor", "2024-01-01 00:00:00+00"));
        assertThat(batches.get(0).size() + batches.get(1).size()).as("the second batch ends with the first cursor value").isEqualTo(140);
        assertThat(batches.get(batches.size() - 1).checkpoint()).isEqualTo(Map.of("cursor", "2024-01-01 06:00:00+00"));
    }

    @Test
    void theSchemaReadIsTheSchemaDiscovered() {
        try (StreamReader reader = SOURCE.read(config, request("public.ticks", SyncMode.FULL_REFRESH_APPEND, null, List.of(), Map.of(), 10))) {
            assertThat(reader.schema()).isEqualTo(SOURCE.discover(config).stream("public.ticks").orElseThrow().schema());
        }
        try (StreamReader reader = SOURCE.read(config, new dev.caravan.spi.ReadRequest("public.ticks", List.of("label", "id"),
                SyncMode.FULL_REFRESH_APPEND, null, List.of(), Map.of(), 10))) {
            assertThat(reader.schema().names()).containsExactly("id", "label");
            assertThat(reader.next().rows().get(0)).containsExactly(1L, "tick 1");
        }
    }

    @Test
    void aConnectionLostMidStreamIsATransientErrorNamingTheTable() throws Exception {
        Map<String, Object> raw = new HashMap<>(config.values());
        raw.put("fetch_size", 10);
        ConnectorConfig smallFetches = SOURCE.spec().validate(raw, "");
        try (StreamReader reader = SOURCE.read(smallFetches, request("public.pairs", SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(), Map.of(), 10))) {
            assertThat(reader.next().size()).isEqualTo(10);
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'caravan' AND datname = '"
                        + PostgresSourceTest.databaseOf(pg.jdbcUrl()) + "'");
            }
            assertThatThrownBy(() -> {
                while (reader.next() != null) {
                    // read until the lost connection shows
                }
            }).isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT))
                    .hasMessageContaining("\"public\".\"pairs\"").hasMessageContaining("resume from its last checkpoint");
        }
    }

    @Test
    void badCursorsAndStatesAreConfigurationErrors() {
        assertThatThrownBy(() -> SOURCE.read(config, request("public.ticks", SyncMode.INCREMENTAL_APPEND, "nope", List.of("id"), Map.of(), 10)))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CONFIG))
                .hasMessageContaining("cannot use 'nope' as cursor").hasMessageContaining("choose one of: id, at, label");
        assertThatThrownBy(() -> SOURCE.read(config, request("public.pairs", SyncMode.FULL_REFRESH_APPEND, null, List.of(), Map.of("pk", List.of(1)), 10)))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CONFIG))
                .hasMessageContaining("reset the stream's state");
        assertThatThrownBy(() -> SOURCE.read(config, request("public.ticks", SyncMode.INCREMENTAL_APPEND, "at", List.of("id"),
                Map.of("cursor", "2024-01-01 06:00:00+00", "keys_at_cursor", List.of(List.of(1L, 2L))), 10)))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CONFIG))
                .hasMessageContaining("keys_at_cursor [[1, 2]]").hasMessageContaining("reset the stream's state");
        assertThatThrownBy(() -> SOURCE.read(config, request("public.nope", SyncMode.FULL_REFRESH_APPEND, null, List.of(), Map.of(), 10)))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CONFIG))
                .hasMessageContaining("Stream 'public.nope' not found");
    }
}
