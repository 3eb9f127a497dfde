package dev.caravan.source.jdbc;

import dev.caravan.spi.FieldChange;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one query's rows in batches of at most {@code batchSize} rows (or {@link #MAX_BATCH_NANOS} of reading), each
 * with the checkpoint that resumes after its last row. With unique keys every batch moves the checkpoint to its last row.
 * An incremental read without primary key can only resume after a cursor value: a batch ends after the last cursor value
 * it holds completely, and the rows of the unfinished value move on to the next batch, so rows sharing a cursor value
 * are never split between a committed and an uncommitted part. Only when more rows than a batch share one cursor value
 * does a batch leave the checkpoint where it was (those rows are read again if the sync stops before the value ends).
 * An incremental read with a primary key keeps the keys of the rows at the last cursor value (up to
 * {@link ReadQuery#maxKeysAtCursor}) so that its checkpoint can list them. Owns its connection.
 */
final class JdbcStreamReader implements StreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStreamReader.class);
    static final long MAX_BATCH_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Connection connection;
    private final JdbcDialect dialect;
    private final JdbcSettings settings;
    private final ReadQuery query;
    private final int batchSize;
    private final ValueReader[] readers;
    private final String[] fieldNames;
    private final boolean uniqueKeys;
    private final Object[] lastKey;
    private final String what;
    private volatile PreparedStatement statement;
    private ResultSet rs;
    private Object completedCursor;
    /** Without key: index in the batch being filled where the rows of the current (unfinished) cursor value start. */
    private int groupStart;
    private List<Object[]> carried = List.of();
    private Map<Integer, List<FieldChange>> carriedChanges;
    private Map<String, Object> emitted;
    /** The cursor value of the last row and the keys of the rows read at it, while they fit in the checkpoint. */
    private Object cursorOfGroup;
    private final List<Object[]> keysAtCursor = new ArrayList<>();
    private boolean keysAtCursorOverflow;
    /** The read resumed after a key inside its first cursor value (a state saved past the limit, or before keys were kept). */
    private boolean resumedAfterKey;
    private boolean exhausted;
    private boolean finished;
    private long rows;
    private final long started = System.nanoTime();
    private long nextProgress = started + PROGRESS_NANOS;

    JdbcStreamReader(Connection connection, JdbcDialect dialect, JdbcSettings settings, ReadQuery query, int batchSize) {
        this.connection = connection;
        this.dialect = dialect;
        this.settings = settings;
        this.query = query;
        this.batchSize = batchSize;
        this.readers = query.readers;
        this.fieldNames = query.schema.names().toArray(String[]::new);
        this.uniqueKeys = query.uniqueKeys();
        this.lastKey = new Object[query.keys.size()];
        this.emitted = query.startState;
        if (query.keysAtStartCursor != null) {
            cursorOfGroup = StateValues.normalized(query.startState.get(ReadQuery.CURSOR));
            query.keysAtStartCursor.forEach(key -> keysAtCursor.add(key.toArray()));
        } else if (query.incremental && query.startState.get(ReadQuery.PK) != null) {
            // resuming after a key: the rows before it at that cursor value cannot be listed, so that value stays keyed
            cursorOfGroup = StateValues.normalized(query.startState.get(ReadQuery.CURSOR));
            keysAtCursorOverflow = true;
            resumedAfterKey = true;
        }
        this.what = "reading " + dialect.qualified(query.table.ref()) + " (stream " + query.label() + ")";
        try {
            statement = connection.prepareStatement(query.sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            dialect.stream(statement, settings.fetchSize());
            query.bind(statement);
            rs = statement.executeQuery();
        } catch (SQLException | RuntimeException e) {
            close();
            throw JdbcErrors.during(what, e, settings);
        }
        LOG.info("Reading stream {} from {}: {} read, from state {}", query.label(), settings.target(),
                query.incremental ? "incremental" : "full refresh", query.startState);
        LOG.debug("Query of stream {}: {}", query.table.streamName(), query.sql);
    }

    @Override
    public Schema schema() {
        return query.schema;
    }

    @Override
    public RecordBatch next() {
        if (finished) {
            return null;
        }
        List<Object[]> batch = new ArrayList<>(Math.min(batchSize, 4096));
        batch.addAll(carried);
        Map<Integer, List<FieldChange>> changes = carriedChanges;
        carried = List.of();
        carriedChanges = null;
        groupStart = 0;
        long deadline = System.nanoTime() + MAX_BATCH_NANOS;
        try {
            while (batch.size() < batchSize) {
                if (!rs.next()) {
                    exhausted = true;
                    break;
                }
                Object[] row = new Object[readers.length];
                for (int i = 0; i < readers.length; i++) {
                    Object value = readers[i].read(rs, i + 1);
                    if (value == ValueReader.UNREPRESENTABLE) {
                        value = null;
                        changes = nulled(changes, batch.size(), fieldNames[i]);
                    } else if (value instanceof PartlyNulled partly) {
                        value = partly.value();
                        for (String part : partly.parts()) {
                            changes = nulled(changes, batch.size(), fieldNames[i] + part);
                        }
                    }
                    row[i] = value;
                }
                batch.add(row);
                readKey(row, batch.size() - 1);
                if ((batch.size() & 255) == 0 && System.nanoTime() > deadline) {
                    break;
                }
            }
        } catch (SQLException e) {
            throw JdbcErrors.during(what, e, settings);
        }
        if (!uniqueKeys && lastKey.length > 0 && !exhausted && groupStart > 0) {
            changes = carryUnfinishedGroup(batch, changes);
        }
        rows += batch.size();
        Map<String, Object> checkpoint = checkpoint();
        if (exhausted) {
            finished = true;
            release();
            logEnd();
            if (batch.isEmpty() && checkpoint.equals(emitted)) {
                return null;
            }
        } else {
            progress();
        }
        emitted = checkpoint;
        return new RecordBatch(query.schema, batch, checkpoint, changes);
    }

    private static Map<Integer, List<FieldChange>> nulled(Map<Integer, List<FieldChange>> changes, int row, String field) {
        Map<Integer, List<FieldChange>> all = changes == null ? new HashMap<>() : changes;
        all.computeIfAbsent(row, r -> new ArrayList<>(2)).add(new FieldChange(field, FieldChange.NULLED, FieldChange.SOURCE_SERIALIZATION_ERROR));
        return all;
    }

    /** Moves the rows of the unfinished cursor value (from {@link #groupStart}) to the next batch; returns this batch's changes. */
    private Map<Integer, List<FieldChange>> carryUnfinishedGroup(List<Object[]> batch, Map<Integer, List<FieldChange>> changes) {
        List<Object[]> tail = batch.subList(groupStart, batch.size());
        carried = new ArrayList<>(tail);
        tail.clear();
        if (changes == null) {
            return null;
        }
        Map<Integer, List<FieldChange>> kept = new HashMap<>();
        for (Map.Entry<Integer, List<FieldChange>> e : changes.entrySet()) {
            if (e.getKey() < groupStart) {
                kept.put(e.getKey(), e.getValue());
            } else {
                if (carriedChanges == null) {
                    carriedChanges = new HashMap<>();
                }
                carriedChanges.put(e.getKey() - groupStart, e.getValue());
            }
        }
        return kept.isEmpty() ? null : kept;
    }

    private void readKey(Object[] row, int rowInBatch) throws SQLException {
        if (lastKey.length == 0) {
            return;
        }
        if (uniqueKeys) {
            for (int k = 0; k < lastKey.length; k++) {
                lastKey[k] = key(row, k);
            }
            if (query.maxKeysAtCursor > 0) {
                keepKeyAtCursor();
            }
            return;
        }
        Object cursor = key(row, 0);
        if (lastKey[0] != null && !lastKey[0].equals(cursor)) {
            completedCursor = lastKey[0];
            groupStart = rowInBatch;
        }
        lastKey[0] = cursor;
    }

    private Object key(Object[] row, int k) throws SQLException {
        int field = query.keyFields[k];
        return field >= 0 ? row[field] : query.keyCodecs[k].read(rs, query.keyPositions[k]);
    }

    private void keepKeyAtCursor() {
        if (!lastKey[0].equals(cursorOfGroup)) {
            cursorOfGroup = lastKey[0];
            keysAtCursor.clear();
            keysAtCursorOverflow = false;
            resumedAfterKey = false;
        }
        if (keysAtCursorOverflow) {
            return;
        }
        if (keysAtCursor.size() == query.maxKeysAtCursor) {
            keysAtCursorOverflow = true;
            keysAtCursor.clear();
            return;
        }
        keysAtCursor.add(Arrays.copyOfRange(lastKey, 1, lastKey.length));
    }

    @Override
    public List<String> warnings() {
        if (!query.incremental || !finished) {
            return List.of();
        }
        String stream = "Stream " + query.table.streamName();
        if (query.keys.size() == 1) {
            Object cursor = emitted.get(ReadQuery.CURSOR);
            return cursor == null ? List.of() : List.of(stream + " has no primary key: the next sync reads the rows whose cursor '"
                    + query.keys.get(0) + "' is greater than " + cursor + ", so a row added later with cursor value " + cursor
                    + " is not read. Fix: set the stream's primary_key (or give the table one).");
        }
        if (keysAtCursorOverflow && emitted.containsKey(ReadQuery.PK)) {
            String why = resumedAfterKey ? "its saved state resumes after a key inside that value"
                    : "more than " + query.maxKeysAtCursor + " rows (max_keys_at_cursor) have it";
            return List.of(stream + ": the next sync resumes after key " + emitted.get(ReadQuery.PK) + " at the last cursor value "
                    + emitted.get(ReadQuery.CURSOR) + " because " + why + "; a row added later with that cursor value and a lower key "
                    + "is not read. Fix: raise max_keys_at_cursor on the source.");
        }
        return List.of();
    }

    private Map<String, Object> checkpoint() {
        if (lastKey.length == 0) {
            return Map.of();
        }
        if (uniqueKeys) {
            if (rows == 0) {
                return query.startState;
            }
            if (query.maxKeysAtCursor > 0 && !keysAtCursorOverflow) {
                return query.checkpointAtCursor(lastKey[0], keysAtCursor);
            }
            return query.checkpoint(lastKey, lastKey.length);
        }
        Object cursor = exhausted ? lastKey[0] : completedCursor;
        return cursor == null ? query.startState : query.checkpoint(new Object[] {cursor}, 1);
    }

    private void progress() {
        long now = System.nanoTime();
        if (now > nextProgress) {
            nextProgress = now + PROGRESS_NANOS;
            LOG.info("Stream {}: {} rows read so far ({} rows/s)", query.label(), rows, rate(now));
        }
    }

    private void logEnd() {
        long now = System.nanoTime();
        LOG.info("Stream {}: read {} rows from {} in {} ms ({} rows/s)", query.label(), rows, settings.target(),
                TimeUnit.NANOSECONDS.toMillis(now - started), rate(now));
    }

    private long rate(long now) {
        return Math.round(rows / Math.max((now - started) / 1e9, 0.001));
    }

    /** Ends the query and hands the connection back, rolling back the read-only transaction. */
    private void release() {
        if (rs != null) {
            try {
                if (!exhausted) {
                    dialect.abandon(statement);
                }
                rs.close();
            } catch (SQLException e) {
                LOG.debug("Closing the result of stream {}: {}", query.table.streamName(), e.getMessage());
            }
            rs = null;
        }
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException e) {
                LOG.debug("Closing the statement of stream {}: {}", query.table.streamName(), e.getMessage());
            }
            statement = null;
        }
        try {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("Returning the connection of stream {}: {}", query.table.streamName(), e.getMessage());
        }
    }

    /**
     * Asks the database to stop the running query; safe from another thread than the one reading (a split read stops
     * its other ranges this way when one fails). The reading thread then sees an error, and still closes the reader.
     */
    void cancel() {
        PreparedStatement running = statement;
        if (running != null) {
            try {
                running.cancel();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Cancelling the query of stream {}: {}", query.label(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        if (!finished && rs != null) {
            LOG.info("Stream {}: closed after {} rows, before its end", query.label(), rows);
        }
        finished = true;
        release();
    }
}
