package dev.caravan.source.jdbc;

import static dev.caravan.source.jdbc.JdbcTesting.batches;
import static dev.caravan.source.jdbc.JdbcTesting.readResumingAfterEveryBatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.source.jdbc.generic.GenericJdbcSource;
import dev.caravan.source.jdbc.mysql.MySqlSource;
import dev.caravan.source.jdbc.postgres.PostgresSource;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.SplitReads;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import dev.caravan.testing.LogCapture;
import dev.caravan.testing.TestingMariaDb;
import dev.caravan.testing.TestingPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Split reads of the postgres and mysql connectors, reader by reader: every row exactly once whatever the keys (negative,
 * gaps, ranges left empty, one row, none), a resume from any batch's checkpoint continues each range after its own key,
 * states of a single read and of another split count resume, streams that cannot be split are read whole, and a failing
 * range fails the read naming the range and cause with every range's connection handed back.
 */
class SplitReadTest {
    /** Keys -14997, -14994, ... 15000: negative, with gaps. */
    private static final List<Long> BIG = LongStream.rangeClosed(1, 6000).map(i -> i * 5 - 15000).boxed().toList();
    private static TestingPostgres pg;
    private static TestingMariaDb maria;

    @BeforeAll
    static void start() throws Exception {
        pg = new TestingPostgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE big (id bigint PRIMARY KEY, v text);
                    INSERT INTO big SELECT i * 5 - 15000, 'row ' || i FROM generate_series(1, 6000) i;
                    CREATE TABLE clustered (id int PRIMARY KEY, v text);
                    INSERT INTO clustered SELECT i, 'low' FROM generate_series(1, 300) i;
                    INSERT INTO clustered SELECT 1000000000 + i, 'high' FROM generate_series(1, 300) i;
                    CREATE TABLE one_row (id int PRIMARY KEY, v text);
                    INSERT INTO one_row VALUES (42, 'only');
                    CREATE TABLE empty (id int PRIMARY KEY, v text);
                    CREATE TABLE pairs (a int, b int, PRIMARY KEY (a, b));
                    INSERT INTO pairs SELECT i / 10, i % 10 FROM generate_series(0, 999) i;
                    CREATE TABLE named (name text PRIMARY KEY);
                    INSERT INTO named SELECT 'n' || i FROM generate_series(1, 100) i;
                    CREATE VIEW failing AS SELECT id, CASE WHEN id = 14000 THEN (1 / (id - 14000))::text ELSE v END AS v FROM big;
                    ANALYZE;
                    """);
        }
        maria = new TestingMariaDb();
        try (Connection c = maria.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO big SELECT CAST(seq AS SIGNED) * 5 - 15000, CONCAT('row ', seq) FROM seq_1_to_6000");
            s.execute("CREATE TABLE clustered (id INT PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO clustered SELECT seq, 'low' FROM seq_1_to_300");
            s.execute("INSERT INTO clustered SELECT 1000000000 + seq, 'high' FROM seq_1_to_300");
            s.execute("CREATE TABLE one_row (id INT PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO one_row VALUES (42, 'only')");
            s.execute("CREATE TABLE empty (id INT PRIMARY KEY, v TEXT)");
            s.execute("ANALYZE TABLE big");
        }
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
        if (maria != null) {
            maria.close();
        }
    }

    private record Db(SourceConnector source, String schema, Map<String, Object> raw) {
        ConnectorConfig config(Object splitReads) {
            return config(splitReads, 2_000_000);
        }

        ConnectorConfig config(Object splitReads, long minRows) {
            Map<String, Object> values = new HashMap<>(raw);
            values.put("split_reads", String.valueOf(splitReads));
            values.put("split_reads_min_rows", minRows);
            return source.spec().validate(values, "");
        }

        String stream(String table) {
            return schema + "." + table;
        }
    }

    private static Db db(String name) {
        return name.equals("postgres")
                ? new Db(new PostgresSource(), "public", Map.of("host", "127.0.0.1", "port", pg.port(), "database", pg.database(), "username", "postgres"))
                : new Db(new MySqlSource(), maria.database(), Map.of("host", "127.0.0.1", "port", maria.port(), "database", maria.database(), "username", "root"));
    }

    private static ReadRequest fullRefresh(String stream, Map<String, Object> state, int batchSize) {
        return new ReadRequest(stream, List.of(), SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(), state, batchSize);
    }

    private static List<Long> ids(List<Object[]> rows) {
        return rows.stream().map(r -> ((Number) r[0]).longValue()).sorted().toList();
    }

    private static List<Object[]> rows(List<RecordBatch> batches) {
        return batches.stream().flatMap(b -> b.rows().stream()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void aSplitReadDeliversEveryRowOnceWithTheCheckpointOfEveryRange(String name) {
        Db db = db(name);
        List<RecordBatch> batches = batches(db.source(), db.config(4), fullRefresh(db.stream("big"), Map.of(), 500));
        assertThat(ids(rows(batches))).containsExactlyElementsOf(BIG);
        Map<String, Object> first = batches.get(0).checkpoint();
        assertThat(first.get("key")).isEqualTo("id");
        assertThat((List<?>) first.get("ranges")).as("keys -14995 to 15000 in four ranges of 7499 keys").hasSize(4)
                .extracting(r -> ((Map<?, ?>) r).get("from") + ".." + ((Map<?, ?>) r).get("to"))
                .containsExactly("null..-7496", "-7496..3", "3..7502", "7502..null");
        // every checkpoint names, per range, a key of a row delivered in a batch up to it
        List<Long> delivered = new ArrayList<>();
        for (RecordBatch batch : batches) {
            batch.rows().forEach(r -> delivered.add(((Number) r[0]).longValue()));
            for (Object range : (List<?>) batch.checkpoint().get("ranges")) {
                if (((Map<?, ?>) range).get("pk") instanceof List<?> pk) {
                    assertThat(delivered).contains(((Number) pk.get(0)).longValue());
                }
            }
        }
        assertThat(batches).as("batches of different ranges interleave: each range's first batch before any range's last")
                .hasSizeGreaterThanOrEqualTo(12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void resumingFromAnyBatchesCheckpointReadsEveryRowExactlyOnce(String name) {
        Db db = db(name);
        List<Object[]> rows = readResumingAfterEveryBatch(db.source(), db.config(3), fullRefresh(db.stream("big"), Map.of(), 700));
        assertThat(rows).hasSize(BIG.size());
        assertThat(ids(rows)).containsExactlyElementsOf(BIG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void aResumedRangeContinuesAfterItsOwnKey(String name) {
        Db db = db(name);
        List<RecordBatch> batches = batches(db.source(), db.config(4), fullRefresh(db.stream("big"), Map.of(), 400));
        Map<String, Object> mid = batches.get(batches.size() / 2).checkpoint();
        List<Long> expected = BIG.stream().filter(id -> !coveredBy(mid, id)).toList();
        assertThat(expected).isNotEmpty().hasSizeLessThan(BIG.size());
        // the split count of the connector changed meanwhile: the recorded ranges still decide
        List<RecordBatch> rest = batches(db.source(), db.config("off"), fullRefresh(db.stream("big"), mid, 400));
        assertThat(ids(rows(rest))).containsExactlyElementsOf(expected);
        assertThat((List<?>) rest.get(0).checkpoint().get("ranges")).hasSize(4);
    }

    /** Whether a split state says the row with this key was read: its range is done, or the key is at or below its position. */
    private static boolean coveredBy(Map<String, Object> state, long id) {
        for (Object item : (List<?>) state.get("ranges")) {
            Map<?, ?> range = (Map<?, ?>) item;
            boolean in = (range.get("from") == null || id >= ((Number) range.get("from")).longValue())
                    && (range.get("to") == null || id < ((Number) range.get("to")).longValue());
            if (in) {
                return Boolean.TRUE.equals(range.get("done"))
                        || range.get("pk") instanceof List<?> pk && id <= ((Number) pk.get(0)).longValue();
            }
        }
        throw new AssertionError("no range holds " + id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void aSingleReadsStateResumedWithSplitReadsSplitsTheRest(String name) {
        Db db = db(name);
        List<RecordBatch> batches = batches(db.source(), db.config(3), fullRefresh(db.stream("big"), Map.of("pk", List.of(2000L)), 500));
        assertThat(ids(rows(batches))).containsExactlyElementsOf(BIG.stream().filter(id -> id > 2000).toList());
        List<?> ranges = (List<?>) batches.get(0).checkpoint().get("ranges");
        assertThat(ranges).hasSize(3);
        assertThat(((Map<?, ?>) ranges.get(1)).get("from")).as("ranges planned over the keys after 2000")
                .isEqualTo(2005L + (15000L - 2005L + 1) / 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void emptyRangesOneRowAndNoRowsReadCorrectly(String name) {
        Db db = db(name);
        ConnectorConfig eight = db.config(8);
        List<RecordBatch> clustered = batches(db.source(), eight, fullRefresh(db.stream("clustered"), Map.of(), 100));
        assertThat(ids(rows(clustered))).hasSize(600).doesNotHaveDuplicates().startsWith(1L).endsWith(1_000_000_300L);
        assertThat((List<?>) clustered.get(clustered.size() - 1).checkpoint().get("ranges")).as("six of eight ranges hold no row").hasSize(8);
        List<RecordBatch> one = batches(db.source(), eight, fullRefresh(db.stream("one_row"), Map.of(), 100));
        assertThat(rows(one)).singleElement().satisfies(r -> assertThat(r).containsExactly(42, "only"));
        assertThat(one.get(0).checkpoint()).as("one key: one range, read by one query").isEqualTo(Map.of("pk", List.of(42L)));
        assertThat(batches(db.source(), eight, fullRefresh(db.stream("empty"), Map.of(), 100))).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void autoTakesHalfTheCoresUpToFourRangesAndNoneBelowFourCores() {
        assertThat(java.util.stream.IntStream.of(1, 2, 3, 4, 5, 6, 8, 16, 64).map(SplitRead::autoRanges).toArray())
                .containsExactly(1, 1, 1, 2, 2, 3, 4, 4, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void autoSplitsTablesFromTheEstimatedRowCountOn(String name) {
        Db db = db(name);
        List<RecordBatch> small = batches(db.source(), db.config("auto", 1000), fullRefresh(db.stream("big"), Map.of(), 1000));
        int ranges = SplitRead.autoRanges(Runtime.getRuntime().availableProcessors());
        if (ranges > 1) {
            assertThat((List<?>) small.get(0).checkpoint().get("ranges")).as("about 6000 rows, split from 1000").hasSize(ranges);
        } else {
            assertThat(small.get(0).checkpoint()).as("about 6000 rows, but too few cores to split").containsOnlyKeys("pk");
        }
        List<RecordBatch> whole = batches(db.source(), db.config("auto"), fullRefresh(db.stream("big"), Map.of(), 1000));
        assertThat(whole.get(0).checkpoint()).as("below the default 2,000,000 rows").containsOnlyKeys("pk");
        ReadRequest forced = new ReadRequest(db.stream("big"), List.of(), SyncMode.FULL_REFRESH_APPEND, null, List.of(), Map.of(), 1000,
                new SplitReads(2));
        assertThat((List<?>) batches(db.source(), db.config("off"), forced).get(0).checkpoint().get("ranges"))
                .as("the stream's own setting wins over the connector's").hasSize(2);
    }

    @Test
    void theGenericConnectorSplitsWhenGivenANumberAndNeverByAuto() {
        GenericJdbcSource generic = new GenericJdbcSource();
        Map<String, Object> raw = new HashMap<>(Map.of("url", pg.jdbcUrl(), "username", "postgres", "schemas", "public"));
        assertThat(generic.spec().validate(raw, "").string("split_reads")).as("the generic connector's default").isEqualTo("off");
        raw.put("split_reads", "3");
        List<RecordBatch> split = batches(generic, generic.spec().validate(raw, ""), fullRefresh("public.big", Map.of(), 1000));
        assertThat(ids(rows(split))).containsExactlyElementsOf(BIG);
        assertThat((List<?>) split.get(0).checkpoint().get("ranges")).hasSize(3);
        raw.put("split_reads", "auto");
        assertThat(batches(generic, generic.spec().validate(raw, ""), fullRefresh("public.big", Map.of(), 1000)).get(0).checkpoint())
                .as("no row estimate through plain JDBC").containsOnlyKeys("pk");
        raw.put("split_reads", "lots");
        assertThat(generic.check(generic.spec().validate(raw, "")).message()).contains("split_reads").contains("lots")
                .contains(SplitReads.RULE);
    }

    @Test
    void streamsThatCannotBeSplitAreReadByOneQueryAndTheLogSaysWhy() {
        Db db = db("postgres");
        ConnectorConfig four = db.config(4);
        try (LogCapture log = new LogCapture()) {
            assertThat(batches(db.source(), four, fullRefresh(db.stream("pairs"), Map.of(), 100)).get(0).checkpoint())
                    .isEqualTo(Map.of("pk", List.of(9L, 9L)));
            assertThat(batches(db.source(), four, fullRefresh(db.stream("named"), Map.of(), 10)).get(0).checkpoint()).containsOnlyKeys("pk");
            ReadRequest incremental = new ReadRequest(db.stream("big"), List.of(), SyncMode.INCREMENTAL_APPEND, "id", List.of(), Map.of(), 1000);
            assertThat(batches(db.source(), db.config("auto", 1000), incremental).get(0).checkpoint()).containsKey("cursor")
                    .doesNotContainKey("ranges");
            assertThat(log.text())
                    .contains("Stream public.pairs is read by one query, not split (split_reads 4): its primary key [a, b] has more than one column")
                    .contains("Stream public.named is read by one query, not split (split_reads 4): its primary key 'name' is not a whole-number column")
                    .contains("Stream public.big (about 6000 rows) is read by one query, not split (split_reads auto): an incremental read goes in "
                            + "cursor order");
        }
    }

    @Test
    void aStateThatNoLongerFitsTheStreamIsAConfigErrorNamingTheFix() {
        Db db = db("postgres");
        Map<String, Object> gap = Map.of("key", "id", "ranges", List.of(Map.of("to", 0L), Map.of("from", 10L)));
        assertThatThrownBy(() -> batches(db.source(), db.config(4), fullRefresh(db.stream("big"), gap, 100)))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CONFIG))
                .hasMessageContaining("has ranges").hasMessageContaining("reset the stream's state");
        Map<String, Object> otherKey = Map.of("key", "a", "ranges", List.of(Map.of()));
        assertThatThrownBy(() -> batches(db.source(), db.config(4), fullRefresh(db.stream("pairs"), otherKey, 100)))
                .hasMessageContaining("split on key 'a'").hasMessageContaining("reset the stream's state");
    }

    @Test
    void aFailingRangeFailsTheReadNamingItAndHandsEveryConnectionBack() throws Exception {
        Db db = db("postgres");
        ReadRequest request = new ReadRequest(db.stream("failing"), List.of(), SyncMode.FULL_REFRESH_OVERWRITE, null, List.of("id"), Map.of(), 200);
        Map<String, Object> raw = new HashMap<>(db.config(4).values());
        raw.put("fetch_size", 100);
        // id 14000 is the 1300th row of range 4/4: it fails after more rows than the queue and a batch in hand hold
        try (StreamReader reader = db.source().read(db.source().spec().validate(raw, ""), request)) {
            awaitSessions(4);
            assertThatThrownBy(() -> {
                while (reader.next() != null) {
                    // read until the range holding id 10000 fails
                }
            }).isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.type()).isNotEqualTo(ErrorType.TRANSIENT))
                    .hasMessageContaining("range 4/4 (id from 7502)").hasMessageContaining("division by zero");
        }
        assertThat(rangeSessions()).as("no range still holds a query or transaction: %s", activity()).isZero();
    }

    private static void awaitSessions(int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rangeSessions() != expected) {
            assertThat(System.nanoTime()).as("%d ranges reading, each on its own connection", expected).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static List<String> activity() throws SQLException {
        List<String> all = new ArrayList<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT state, query FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'caravan'")) {
            while (rs.next()) {
                all.add(rs.getString(1) + ": " + rs.getString(2));
            }
        }
        return all;
    }

    /** Sessions of the connector on the test database running a query of the failing view, or in its transaction. */
    private static int rangeSessions() throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'caravan' "
                        + "AND state IN ('active', 'idle in transaction') AND query LIKE '%\"failing\"%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
