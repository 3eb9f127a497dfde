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

/**
 * The query that reads one stream and how its rows become checkpoints.
 *
 * <p>Keys: a full refresh orders by the primary key (the connection's {@code primary_key}, else the table's), an
 * incremental read by (cursor, primary key). Reading resumes strictly after the key saved in the state:
 * <ul>
 *   <li>full refresh: {@code {"pk": [v1, ...]}} — no state (or a table without key) reads everything;</li>
 *   <li>incremental: {@code {"cursor": c, "pk": [v1, ...]}} — rows with (cursor, pk) greater; a state without
 *       {@code pk} (or a table without key) resumes at rows whose cursor is greater than {@code c}.</li>
 * </ul>
 * Values are JSON numbers for whole-number columns and the database's text otherwise (see {@link KeyCodec}). Incremental
 * reads skip rows whose cursor is NULL.
 */
final class ReadQuery {
    static final String CURSOR = "cursor";
    static final String PK = "pk";

    final JdbcTable table;
    final Schema schema;
    final ValueReader[] readers;
    final boolean incremental;
    /** Key column names (cursor first when incremental) and, for each, its codec and 1-based position in the result. */
    final List<String> keys;
    final KeyCodec[] keyCodecs;
    final int[] keyPositions;
    final String sql;
    private final List<Integer> paramKeys = new ArrayList<>();
    private final List<Object> after;
    final Map<String, Object> startState;

    private ReadQuery(JdbcTable table, ReadRequest request, JdbcDialect dialect) {
        this.table = table;
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
        for (int k = 0; k < keys.size(); k++) {
            int column = table.indexOf(keys.get(k));
            keyCodecs[k] = dialect.keyCodec(table.columns().get(column), table.mappings().get(column));
            int position = output.indexOf(column);
            if (position < 0) {
                select.add(dialect.selectExpression(table.columns().get(column), table.mappings().get(column)));
                position = select.size() - 1;
            }
            keyPositions[k] = position + 1;
        }
        this.after = after(request.state(), primaryKey.size());

        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select)).append(" FROM ").append(dialect.qualified(table.ref()));
        List<String> conditions = new ArrayList<>();
        if (incremental) {
            conditions.add(dialect.quote(keys.get(0)) + " IS NOT NULL");
        }
        if (!after.isEmpty()) {
            List<String> quoted = keys.subList(0, after.size()).stream().map(dialect::quote).toList();
            conditions.add(dialect.after(quoted, paramKeys));
        }
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        if (!keys.isEmpty()) {
            sql.append(" ORDER BY ").append(String.join(", ", keys.stream().map(dialect::quote).toList()));
        }
        this.sql = sql.toString();
    }

    static ReadQuery plan(JdbcTable table, ReadRequest request, JdbcDialect dialect) {
        return new ReadQuery(table, request, dialect);
    }

    /** Whether every row has its own key, so any row ends a batch; otherwise only a change of cursor value does. */
    boolean uniqueKeys() {
        return incremental ? keys.size() > 1 : !keys.isEmpty();
    }

    void bind(PreparedStatement statement) throws SQLException {
        for (int p = 0; p < paramKeys.size(); p++) {
            int key = paramKeys.get(p);
            keyCodecs[key].bind(statement, p + 1, after.get(key));
        }
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
        if (!(pk instanceof List<?> list) || list.size() != primaryKeySize || list.contains(null)) {
            throw CaravanException.config("The saved state of stream '" + table.streamName() + "' has pk " + pk + ", which does not match its primary key "
                    + keys.subList(incremental ? 1 : 0, keys.size()) + ". Fix: reset the stream's state to read it from the start.");
        }
        values.addAll(list);
        return values;
    }
}
