package dev.caravan.source.jdbc;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.SplitReads;
import dev.caravan.spi.StreamReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Split reads: a full refresh ordered by one whole-number primary key read as several key ranges in parallel, each on
 * its own connection (like Spark's JDBC {@code numPartitions}). This class decides whether a stream is split, plans the
 * ranges (equal width between the smallest and the greatest key) and keeps their state, a JSON map:
 * <pre>{@code {"key": "id", "ranges": [{"to": 250, "pk": [120]}, {"from": 250, "to": 500, "done": true}, {"from": 500}]}}</pre>
 * Each range lists its bounds (from inclusive, to exclusive; the first has no lower and the last no upper bound, so the
 * ranges cover every key) and the position reached in it: {@code pk} (the last key read, as a single read's state has
 * it), {@code done}, or neither (nothing read yet). A resumed read keeps the ranges it started with and continues each
 * after its own position, whatever the split setting is now; a single read's state ({@code {"pk": [k]}}) resumed with
 * split reads on splits the rest of the stream after {@code k}.
 */
final class SplitRead {
    private static final Logger LOG = LoggerFactory.getLogger(SplitRead.class);
    static final String KEY = "key";
    static final String RANGES = "ranges";
    static final String FROM = "from";
    static final String TO = "to";
    static final String DONE_FLAG = "done";
    /** Ranges {@code auto} splits a large table into: at most half of a source's connection pool per stream. */
    static final int AUTO_RANGES = 4;
    /** The position of a range read to its end. */
    static final Object DONE = new Object() {
        @Override
        public String toString() {
            return "done";
        }
    };
    /** The position of a range not read yet. */
    static final Object START = new Object() {
        @Override
        public String toString() {
            return "start";
        }
    };

    private SplitRead() {
    }

    /** The ranges of a split read and the position in each: {@link #START}, {@link #DONE} or the last key read (a Long). */
    record Plan(String stream, String key, List<KeyRange> ranges, List<Object> positions) {
        Plan {
            ranges = List.copyOf(ranges);
            positions = List.copyOf(positions);
        }
    }

    /** The source's split settings: the default for streams that set none, and the size from which {@code auto} splits. */
    record Settings(SplitReads setting, long minRows) {
        static Settings of(ConnectorConfig config) {
            String minRows = JdbcOptions.SPLIT_READS_MIN_ROWS.name();
            return new Settings(SplitReads.parse(config.string(JdbcOptions.SPLIT_READS.name())).orElseThrow(),
                    config.spec().options().stream().anyMatch(o -> o.name().equals(minRows)) ? config.integer(minRows) : Long.MAX_VALUE);
        }
    }

    /**
     * The reader of a split read, or null when the stream is read by one query (why is logged). Takes
     * {@code connection} on success: the first range reads on it, the others on connections of the pool.
     */
    static StreamReader open(Connection connection, JdbcDialect dialect, JdbcSettings jdbc, JdbcTable table, ReadRequest request,
                             ReadQuery query, Settings settings) throws SQLException {
        Plan plan;
        if (request.state().containsKey(RANGES)) {
            plan = resumed(request.state(), query);
        } else {
            int count = ranges(connection, dialect, request, query, settings);
            plan = count < 2 ? null : planned(connection, dialect, query, count);
            if (plan == null) {
                return null;
            }
        }
        if (plan.positions().stream().allMatch(p -> p == DONE)) {
            // an interrupted run whose every range was read: nothing left (no thread starts)
            connection.rollback();
            connection.close();
        }
        // the first range thread to start reads on this connection, the others take one from the pool
        AtomicReference<Connection> first = new AtomicReference<>(connection);
        SplitStreamReader reader = new SplitStreamReader(plan, query.schema, range -> {
            Connection own = first.getAndSet(null);
            if (own == null) {
                try {
                    own = JdbcPools.connection(jdbc, dialect);
                } catch (SQLException | RuntimeException e) {
                    throw JdbcErrors.connecting(e, jdbc);
                }
            }
            Object position = plan.positions().get(range.index());
            Map<String, Object> state = position instanceof Long after ? Map.of(ReadQuery.PK, List.of(after)) : Map.of();
            return new JdbcStreamReader(own, dialect, jdbc, ReadQuery.range(table, request.withState(state), dialect, range), request.batchSize());
        });
        return reader;
    }

    /**
     * How many ranges to read the stream in; 1 (read whole) unless it is split. Why a stream is not split is logged at
     * INFO when it was asked for (a number of ranges) or when {@code auto} finds the table large enough, else at DEBUG.
     */
    private static int ranges(Connection connection, JdbcDialect dialect, ReadRequest request, ReadQuery query, Settings settings)
            throws SQLException {
        SplitReads setting = request.splitReads() != null ? request.splitReads() : settings.setting();
        if (setting.off()) {
            return 1;
        }
        String stream = query.table.streamName();
        String whole = whyNotSplittable(query);
        if (!setting.auto()) {
            if (whole != null) {
                LOG.info("Stream {} is read by one query, not split (split_reads {}): {}", stream, setting, whole);
                return 1;
            }
            return setting.ranges();
        }
        OptionalLong rows = dialect.estimatedRows(connection, query.table.ref());
        if (rows.isEmpty()) {
            LOG.info("Stream {} is read by one query, not split (split_reads auto): {} gives no size estimate{}", stream, dialect.product(),
                    whole != null ? " and " + whole : "; set split_reads to a number of ranges to split it");
            return 1;
        }
        if (rows.getAsLong() < settings.minRows()) {
            LOG.debug("Stream {} is read by one query (split_reads auto): about {} rows, below split_reads_min_rows {}", stream,
                    rows.getAsLong(), settings.minRows());
            return 1;
        }
        if (whole != null) {
            LOG.info("Stream {} (about {} rows) is read by one query, not split (split_reads auto): {}", stream, rows.getAsLong(), whole);
            return 1;
        }
        LOG.info("Stream {}: about {} rows (split_reads_min_rows {}), split into {} ranges", stream, rows.getAsLong(), settings.minRows(),
                AUTO_RANGES);
        return AUTO_RANGES;
    }

    /** Why the read cannot be split, or null when it can. */
    private static String whyNotSplittable(ReadQuery query) {
        if (query.incremental) {
            return "an incremental read goes in cursor order";
        }
        if (query.keys.isEmpty()) {
            return "it has no primary key";
        }
        if (query.keys.size() > 1) {
            return "its primary key " + query.keys + " has more than one column";
        }
        return query.splittable() ? null : "its primary key '" + query.keys.get(0) + "' is not a whole-number column";
    }

    /** The ranges over the keys still to read (after the single read's position, if any); null when they are fewer than two. */
    private static Plan planned(Connection connection, JdbcDialect dialect, ReadQuery query, int count) throws SQLException {
        String key = query.keys.get(0);
        Long after = query.startState.get(ReadQuery.PK) instanceof List<?> pk && pk.get(0) instanceof Number n ? n.longValue() : null;
        String sql = "SELECT min(" + dialect.quote(key) + "), max(" + dialect.quote(key) + ") FROM " + dialect.qualified(query.table.ref())
                + (after == null ? "" : " WHERE " + dialect.quote(key) + " > ?");
        long min;
        long max;
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            if (after != null) {
                s.setLong(1, after);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                min = rs.getLong(1);
                boolean empty = rs.wasNull();
                max = rs.getLong(2);
                if (empty) {
                    LOG.info("Stream {} is read by one query, not split: no rows{}", query.table.streamName(), after == null ? "" : " after " + key + " " + after);
                    return null;
                }
            }
        }
        List<KeyRange> ranges = KeyRange.plan(min, max, count);
        if (ranges.size() < 2) {
            LOG.info("Stream {} is read by one query, not split: its keys {} to {} make one range", query.table.streamName(), min, max);
            return null;
        }
        List<Object> positions = new ArrayList<>();
        for (KeyRange range : ranges) {
            positions.add(range.index() == 0 && after != null ? (Object) after : START);
        }
        LOG.info("Stream {}: split read of {} in {} ranges over keys {} to {}{}", query.table.streamName(), key, ranges.size(), min, max,
                after == null ? "" : ", resuming after " + after);
        return new Plan(query.table.streamName(), key, ranges, positions);
    }

    /** The plan a split read's state records; a CONFIG error naming the fix when it does not fit the stream any more. */
    static Plan resumed(Map<String, Object> state, ReadQuery query) {
        String stream = query.table.streamName();
        String fix = " Fix: reset the stream's state to read it from the start.";
        if (!query.splittable() || !query.keys.get(0).equals(state.get(KEY))) {
            throw CaravanException.config("The saved state of stream '" + stream + "' comes from a read split on key '" + state.get(KEY)
                    + "', but the stream is now read " + (query.splittable() ? "in order of key '" + query.keys.get(0) + "'"
                    : "with primary key " + query.keys + ", which cannot be split") + "." + fix);
        }
        List<KeyRange> ranges = new ArrayList<>();
        List<Object> positions = new ArrayList<>();
        if (state.get(RANGES) instanceof List<?> listed && !listed.isEmpty()) {
            for (Object item : listed) {
                if (!(item instanceof Map<?, ?> range)) {
                    ranges = null;
                    break;
                }
                Long from = range.get(FROM) instanceof Number n ? n.longValue() : null;
                Long to = range.get(TO) instanceof Number n ? n.longValue() : null;
                Object previousTo = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1).to();
                boolean joined = ranges.isEmpty() ? from == null && !range.containsKey(FROM) : from != null && from.equals(previousTo);
                Object position = Boolean.TRUE.equals(range.get(DONE_FLAG)) ? DONE
                        : range.get(ReadQuery.PK) instanceof List<?> pk && pk.size() == 1 && pk.get(0) instanceof Number n ? (Object) n.longValue()
                        : range.containsKey(ReadQuery.PK) ? null : START;
                if (!joined || position == null || (range.containsKey(TO) && to == null)) {
                    ranges = null;
                    break;
                }
                ranges.add(new KeyRange(ranges.size(), listed.size(), from, to));
                positions.add(position);
            }
        } else {
            ranges = null;
        }
        if (ranges == null || ranges.get(ranges.size() - 1).to() != null) {
            throw CaravanException.config("The saved state of stream '" + stream + "' has ranges " + state.get(RANGES)
                    + ", which are not key ranges following each other from the lowest to the highest key." + fix);
        }
        LOG.info("Stream {}: resuming a split read of {} in {} ranges at {}", stream, query.keys.get(0), ranges.size(), positions);
        return new Plan(stream, query.keys.get(0), ranges, positions);
    }

    /** The position of a range after one of its batches with {@code checkpoint} (a single read's {@code {"pk": [k]}}). */
    static Object position(Map<String, Object> checkpoint, Object before) {
        return checkpoint.get(ReadQuery.PK) instanceof List<?> pk && !pk.isEmpty() && pk.get(0) instanceof Number n ? (Object) n.longValue() : before;
    }

    /** The state of a split read at these positions (see the class comment). */
    static Map<String, Object> checkpoint(Plan plan, Object[] positions) {
        List<Map<String, Object>> ranges = new ArrayList<>(positions.length);
        for (KeyRange range : plan.ranges()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            if (range.from() != null) {
                entry.put(FROM, range.from());
            }
            if (range.to() != null) {
                entry.put(TO, range.to());
            }
            Object position = positions[range.index()];
            if (position == DONE) {
                entry.put(DONE_FLAG, true);
            } else if (position instanceof Long after) {
                entry.put(ReadQuery.PK, List.of(after));
            }
            ranges.add(entry);
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(KEY, plan.key());
        state.put(RANGES, ranges);
        return state;
    }
}
