package dev.caravan.source.jdbc;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Field;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.Schema;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The query that reads one stream and how its rows become checkpoints.
 *
 * <p>Keys: a full refresh orders by the primary key (the connection's {@code primary_key}, else the table's), an
 * incremental read by (cursor, primary key). Reading resumes after the position saved in the state:
 * <ul>
 *   <li>full refresh: {@code {"pk": [v1, ...]}} — rows with a greater key; no state (or a table without key) reads
 *       everything;</li>
 *   <li>incremental: {@code {"cursor": c, "keys_at_cursor": [[v1, ...], ...]}} — rows whose cursor is c or greater,
 *       except the rows at c whose keys are listed (they were read): a row added later with cursor c is not lost;</li>
 *   <li>incremental: {@code {"cursor": c, "pk": [v1, ...]}} — rows with (cursor, pk) greater, when more rows shared c
 *       than {@code max_keys_at_cursor} (or it is 0); a state without either (or a table without key) resumes at rows
 *       whose cursor is greater than {@code c}.</li>
 * </ul>
 * Values are JSON numbers for whole-number columns and the database's text otherwise (see {@link KeyCodec}). Incremental
 * reads skip rows whose cursor is NULL. A full refresh may read one {@link KeyRange} of its key only (a split read, see
 * {@link SplitRead}); its state is then the position within that range.
 */
final class ReadQuery {
    static final String CURSOR = "cursor";
    static final String PK = "pk";
    static final String KEYS_AT_CURSOR = "keys_at_cursor";

    final JdbcTable table;
    final Schema schema;
    final ValueReader[] readers;
    final boolean incremental;
    /** Key column names (cursor first when incremental) and, for each, its codec and 1-based position in the result. */
    final List<String> keys;
    final KeyCodec[] keyCodecs;
    final int[] keyPositions;
    /**
     * For each key, the index of the row field that already holds exactly what its codec would read (a whole-number
     * key read as a whole-number field: same getLong, same Long), or -1 when the key must be read from the result set.
     */
    final int[] keyFields;
    final String sql;
    private final List<KeyCodec> paramCodecs = new ArrayList<>();
    private final List<Object> paramValues = new ArrayList<>();
    final Map<String, Object> startState;
    /** How many keys at the last cursor value a checkpoint lists; 0 when it resumes strictly after a key instead. */
    final int maxKeysAtCursor;
    /** The keys at the start state's cursor value that were read before (they are skipped); empty when none. */
    final List<List<Object>> keysAtStartCursor;
    /** The key range this query reads (a split read), or null for the whole stream. */
    final KeyRange range;

    private ReadQuery(JdbcTable table, ReadRequest request, JdbcDialect dialect, int maxKeysAtCursor, KeyRange range) {
        this.table = table;
        this.range = range;
        this.incremental = request.syncMode().incremental();
        this.startState = request.state();
        List<Integer> output = outputColumns(table, request.fields());
        List<String> primaryKey = request.primaryKey().isEmpty() ? table.primaryKey() : request.primaryKey();
        List<String> keyNames = new ArrayList<>();
        if (incremental) {
            keyNames.add(cursor(table, request.cursorField()));
        }
        for (String key : primaryKey) {
            if (table.indexOf(key) < 0) {
                throw CaravanException.config("Stream '" + table.streamName() + "' has no column '" + key + "' for its primary key; its columns are: "
                        + String.join(", ", table.schema().names()) + ". Fix: correct primary_key.");
            }
            keyNames.add(key);
        }
        this.keys = List.copyOf(keyNames);
        this.maxKeysAtCursor = incremental && !primaryKey.isEmpty() ? maxKeysAtCursor : 0;

        List<Field> fields = new ArrayList<>();
        List<String> select = new ArrayList<>();
        readers = new ValueReader[output.size()];
        for (int i = 0; i < output.size(); i++) {
            int column = output.get(i);
            fields.add(table.schema().field(column));
            readers[i] = table.mappings().get(column).reader();
            select.add(dialect.selectExpression(table.columns().get(column), table.mappings().get(column)));
        }
        this.schema = new Schema(fields);
        keyCodecs = new KeyCodec[keys.size()];
        keyPositions = new int[keys.size()];
        keyFields = new int[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            int column = table.indexOf(keys.get(k));
            keyCodecs[k] = dialect.keyCodec(table.columns().get(column), table.mappings().get(column));
            int position = output.indexOf(column);
            keyFields[k] = position >= 0 && keyCodecs[k] == KeyCodec.LONG && readers[position] == ValueReaders.INT64 ? position : -1;
            if (position < 0) {
                select.add(dialect.selectExpression(table.columns().get(column), table.mappings().get(column)));
                position = select.size() - 1;
            }
            keyPositions[k] = position + 1;
        }
        List<Object> after = after(request.state(), primaryKey.size());
        this.keysAtStartCursor = incremental && !after.isEmpty() ? keysAtCursor(request.state(), primaryKey.size()) : null;

        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select)).append(" FROM ").append(dialect.qualified(table.ref()));
        List<String> conditions = new ArrayList<>();
        if (incremental) {
            conditions.add(dialect.quote(keys.get(0)) + " IS NOT NULL");
        }
        if (range != null) {
            if (range.from() != null) {
                conditions.add(dialect.quote(keys.get(0)) + " >= ?");
                param(0, range.from());
            }
            if (range.to() != null) {
                conditions.add(dialect.quote(keys.get(0)) + " < ?");
                param(0, range.to());
            }
        }
        if (keysAtStartCursor != null) {
            conditions.add(atOrAfterCursor(dialect, after.get(0)));
        } else if (!after.isEmpty()) {
            List<String> quoted = keys.subList(0, after.size()).stream().map(dialect::quote).toList();
            List<Integer> paramKeys = new ArrayList<>();
            conditions.add(dialect.after(quoted, paramKeys));
            for (int key : paramKeys) {
                param(key, after.get(key));
            }
        }
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        if (!keys.isEmpty()) {
            sql.append(" ORDER BY ").append(String.join(", ", keys.stream().map(dialect::quote).toList()));
        }
        this.sql = sql.toString();
    }

    static ReadQuery plan(JdbcTable table, ReadRequest request, JdbcDialect dialect, int maxKeysAtCursor) {
        return new ReadQuery(table, request, dialect, maxKeysAtCursor, null);
    }

    /** The query of one range of a split full refresh: {@code request}'s state is the position within the range. */
    static ReadQuery range(JdbcTable table, ReadRequest request, JdbcDialect dialect, KeyRange range) {
        return new ReadQuery(table, request, dialect, 0, range);
    }

    /** Whether the rows can be read in ranges of their key: a full refresh ordered by one whole-number key. */
    boolean splittable() {
        return !incremental && keys.size() == 1 && keyCodecs[0] == KeyCodec.LONG;
    }

    /** The stream, and the range when this query reads one, for log lines and messages. */
    String label() {
        return range == null ? table.streamName() : table.streamName() + " " + range.label(keys.get(0));
    }

    /**
     * {@code cursor >= c}, except the rows at {@code c} whose keys were read: the database compares, so values it
     * holds equal (collations, numeric scales) are equal here too.
     */
    private String atOrAfterCursor(JdbcDialect dialect, Object cursor) {
        String quotedCursor = dialect.quote(keys.get(0));
        StringBuilder condition = new StringBuilder(quotedCursor).append(" >= ?");
        param(0, cursor);
        if (keysAtStartCursor.isEmpty()) {
            return condition.toString();
        }
        condition.append(" AND NOT (").append(quotedCursor).append(" = ? AND (");
        param(0, cursor);
        for (int i = 0; i < keysAtStartCursor.size(); i++) {
            condition.append(i == 0 ? "(" : " OR (");
            List<Object> key = keysAtStartCursor.get(i);
            for (int k = 0; k < key.size(); k++) {
                condition.append(k == 0 ? "" : " AND ").append(dialect.quote(keys.get(k + 1))).append(" = ?");
                param(k + 1, key.get(k));
            }
            condition.append(')');
        }
        return condition.append("))").toString();
    }

    private void param(int key, Object value) {
        paramCodecs.add(keyCodecs[key]);
        paramValues.add(value);
    }

    /** Whether every row has its own key, so any row ends a batch; otherwise only a change of cursor value does. */
    boolean uniqueKeys() {
        return incremental ? keys.size() > 1 : !keys.isEmpty();
    }

    void bind(PreparedStatement statement) throws SQLException {
        for (int p = 0; p < paramCodecs.size(); p++) {
            paramCodecs.get(p).bind(statement, p + 1, paramValues.get(p));
        }
    }

    /**
     * The state of an incremental read whose last rows, at cursor value {@code cursor}, have these keys (all of the rows
     * at that value read so far): the next read takes that value again and skips them.
     */
    Map<String, Object> checkpointAtCursor(Object cursor, List<Object[]> keysAtCursor) {
        List<List<Object>> listed = new ArrayList<>(keysAtCursor.size());
        for (Object[] key : keysAtCursor) {
            listed.add(List.of(key));
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(CURSOR, cursor);
        state.put(KEYS_AT_CURSOR, listed);
        return state;
    }

    /** The state that resumes after a row with these key values (cursor first when incremental). */
    Map<String, Object> checkpoint(Object[] keyValues, int count) {
        Map<String, Object> state = new LinkedHashMap<>();
        int first = 0;
        if (incremental) {
            state.put(CURSOR, keyValues[0]);
            first = 1;
        }
        if (count > first) {
            List<Object> pk = new ArrayList<>(count - first);
            for (int k = first; k < count; k++) {
                if (keyValues[k] == null) {
                    throw CaravanException.config("Stream '" + table.streamName() + "': key column '" + keys.get(k)
                            + "' is NULL in a row, so rows cannot be ordered by it. Fix: choose a primary_key whose columns are never NULL.");
                }
                pk.add(keyValues[k]);
            }
            state.put(PK, pk);
        }
        return state;
    }

    private static List<Integer> outputColumns(JdbcTable table, List<String> fields) {
        List<Integer> columns = new ArrayList<>();
        if (fields.isEmpty()) {
            for (int i = 0; i < table.columns().size(); i++) {
                columns.add(i);
            }
            return columns;
        }
        List<String> unknown = fields.stream().filter(f -> table.indexOf(f) < 0).toList();
        if (!unknown.isEmpty()) {
            throw CaravanException.config("Stream '" + table.streamName() + "' has no column " + String.join(", ", unknown.stream().map(f -> "'" + f + "'").toList())
                    + "; its columns are: " + String.join(", ", table.schema().names()) + ". Fix: run discover and update the stream's fields.");
        }
        for (int i = 0; i < table.columns().size(); i++) {
            if (fields.contains(table.columns().get(i).name())) {
                columns.add(i);
            }
        }
        return columns;
    }

    private static String cursor(JdbcTable table, String cursor) {
        int index = table.indexOf(cursor);
        if (index < 0 || !table.cursorCandidates().contains(cursor)) {
            throw CaravanException.config("Stream '" + table.streamName() + "' cannot use '" + cursor + "' as cursor"
                    + (index < 0 ? " (no such column)" : " (" + table.mappings().get(index).type() + " values cannot be compared in order)")
                    + "; choose one of: " + String.join(", ", table.cursorCandidates()));
        }
        return cursor;
    }

    /** The keys listed by a {@code keys_at_cursor} state, or null when the state resumes strictly after a key. */
    private List<List<Object>> keysAtCursor(Map<String, Object> state, int primaryKeySize) {
        Object listed = state.get(KEYS_AT_CURSOR);
        if (listed == null || primaryKeySize == 0) {
            return null;
        }
        List<List<Object>> keysRead = new ArrayList<>();
        if (listed instanceof List<?> list) {
            for (Object key : list) {
                if (!(key instanceof List<?> values) || values.size() != primaryKeySize || values.stream().anyMatch(Objects::isNull)) {
                    keysRead = null;
                    break;
                }
                keysRead.add(new ArrayList<>(values));
            }
        }
        if (keysRead == null || !(listed instanceof List<?>)) {
            throw CaravanException.config("The saved state of stream '" + table.streamName() + "' has keys_at_cursor " + listed
                    + ", which is not a list of keys of its primary key " + keys.subList(1, keys.size())
                    + ". Fix: reset the stream's state to read it from the start.");
        }
        return keysRead;
    }

    /** The key values to resume after, a prefix of {@link #keys}; empty to read from the start. */
    private List<Object> after(Map<String, Object> state, int primaryKeySize) {
        List<Object> values = new ArrayList<>();
        if (incremental) {
            Object cursor = state.get(CURSOR);
            if (cursor == null) {
                return values;
            }
            values.add(cursor);
        }
        Object pk = state.get(PK);
        if (pk == null || primaryKeySize == 0) {
            return values;
        }
        if (!(pk instanceof List<?> list) || list.size() != primaryKeySize || list.stream().anyMatch(Objects::isNull)) {
            throw CaravanException.config("The saved state of stream '" + table.streamName() + "' has pk " + pk + ", which does not match its primary key "
                    + keys.subList(incremental ? 1 : 0, keys.size()) + ". Fix: reset the stream's state to read it from the start.");
        }
        values.addAll(list);
        return values;
    }
}
