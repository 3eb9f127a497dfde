package dev.caravan.source.jdbc;

import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.SplitReads;
import dev.caravan.spi.StreamReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Split reads: a full refresh ordered by one whole-number primary key read as several key ranges in parallel, each on
 * its own connection (like Spark's JDBC {@code numPartitions}). This class decides whether a stream is split and plans
 * the ranges (equal width between the smallest and the greatest key still to read); {@link SplitState} keeps their
 * positions, {@link SplitStreamReader} reads them. A state written by a single read ({@code {"pk": [k]}}) resumed with
 * split reads on is split over the keys after {@code k}; a split state always resumes its own ranges.
 */
final class SplitRead {
    private static final Logger LOG = LoggerFactory.getLogger(SplitRead.class);
    /** Ranges {@code auto} splits a large table into at most: half of a source's connection pool per stream. */
    static final int AUTO_RANGES = 4;

    /**
     * Ranges {@code auto} splits a large table into on a machine of {@code cores} cores: half of them (the writer, the
     * database and the rest of the server need the others), at most {@link #AUTO_RANGES}; below 2, none. On 2 cores a
     * split read of bench/run.sh's 10M rows took 1.5x as long and 1.7x the CPU of one query.
     */
    static int autoRanges(int cores) {
        int ranges = Math.min(AUTO_RANGES, cores / 2);
        return ranges < 2 ? 1 : ranges;
    }

    private SplitRead() {
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
        SplitState.Plan plan;
        if (SplitState.isSplit(request.state())) {
            plan = SplitState.resumed(request.state(), query);
        } else {
            int count = ranges(connection, dialect, request, query, settings);
            plan = count < 2 ? null : planned(connection, dialect, query, count);
            if (plan == null) {
                return null;
            }
        }
        if (plan.positions().stream().allMatch(p -> p == SplitState.DONE)) {
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
        int cores = Runtime.getRuntime().availableProcessors();
        int ranges = autoRanges(cores);
        if (ranges < 2) {
            LOG.info("Stream {} (about {} rows) is read by one query, not split (split_reads auto): this machine has {} core(s), and ranges"
                    + " read in parallel would take them from the writer and the database; set split_reads to a number of ranges to split it"
                    + " anyway", stream, rows.getAsLong(), cores);
            return 1;
        }
        LOG.info("Stream {}: about {} rows (split_reads_min_rows {}), split into {} ranges ({} cores)", stream, rows.getAsLong(),
                settings.minRows(), ranges, cores);
        return ranges;
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
    private static SplitState.Plan planned(Connection connection, JdbcDialect dialect, ReadQuery query, int count) throws SQLException {
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
            positions.add(range.index() == 0 && after != null ? (Object) after : SplitState.START);
        }
        LOG.info("Stream {}: split read of {} in {} ranges over keys {} to {}{}", query.table.streamName(), key, ranges.size(), min, max,
                after == null ? "" : ", resuming after " + after);
        return new SplitState.Plan(query.table.streamName(), key, ranges, positions);
    }

}
