package dev.caravan.source.jdbc;

import dev.caravan.spi.CaravanException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Base64;

/**
 * How a cursor or key column's value goes into a checkpoint and back into a query: {@link #read} takes the value of the
 * current row as a JSON-safe state value (Long, Double, Boolean or String) exactly as the database would compare it,
 * {@link #bind} sets a state value as a query parameter. Values are read from the database, not from the delivered
 * fields, so a key is exact even when its field was nulled as unrepresentable.
 */
public interface KeyCodec {

    Object read(ResultSet rs, int index) throws SQLException;

    void bind(PreparedStatement statement, int index, Object state) throws SQLException;

    /** Whole numbers: the state is a JSON number. */
    KeyCodec LONG = new KeyCodec() {
        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            long value = rs.getLong(index);
            return rs.wasNull() ? null : value;
        }

        @Override
        public void bind(PreparedStatement statement, int index, Object state) throws SQLException {
            statement.setLong(index, state instanceof Number n ? n.longValue() : Long.parseLong(state.toString()));
        }
    };

    /** Exact decimals: the state is the plain decimal text. */
    KeyCodec DECIMAL = new KeyCodec() {
        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            BigDecimal value = rs.getBigDecimal(index);
            return value == null ? null : value.toPlainString();
        }

        @Override
        public void bind(PreparedStatement statement, int index, Object state) throws SQLException {
            statement.setBigDecimal(index, new BigDecimal(state.toString()));
        }
    };

    /** Floating point: a JSON number, or "NaN"/"Infinity"/"-Infinity" as text. */
    KeyCodec DOUBLE = new KeyCodec() {
        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            double value = rs.getDouble(index);
            if (rs.wasNull()) {
                return null;
            }
            return Double.isFinite(value) ? (Object) value : Double.toString(value);
        }

        @Override
        public void bind(PreparedStatement statement, int index, Object state) throws SQLException {
            statement.setDouble(index, state instanceof Number n ? n.doubleValue() : Double.parseDouble(state.toString()));
        }
    };

    KeyCodec BOOLEAN = new KeyCodec() {
        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            boolean value = rs.getBoolean(index);
            return rs.wasNull() ? null : value;
        }

        @Override
        public void bind(PreparedStatement statement, int index, Object state) throws SQLException {
            statement.setBoolean(index, state instanceof Boolean b ? b : Boolean.parseBoolean(state.toString()));
        }
    };

    /** Text compared as text. */
    KeyCodec STRING = new KeyCodec() {
        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getString(index);
        }

        @Override
        public void bind(PreparedStatement statement, int index, Object state) throws SQLException {
            statement.setString(index, state.toString());
        }
    };

    /**
     * The database's own text form, bound untyped so that the server converts it to the column's type: exact for every
     * type with a text input (PostgreSQL: infinity timestamps, NaN numerics, enums, uuids, intervals).
     */
    KeyCodec UNTYPED_TEXT = new KeyCodec() {
        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            return rs.getString(index);
        }

        @Override
        public void bind(PreparedStatement statement, int index, Object state) throws SQLException {
            statement.setObject(index, state.toString(), Types.OTHER);
        }
    };

    /** Binary keys: base64 text in the state. */
    KeyCodec BYTES = new KeyCodec() {
        @Override
        public Object read(ResultSet rs, int index) throws SQLException {
            byte[] value = rs.getBytes(index);
            return value == null ? null : Base64.getEncoder().encodeToString(value);
        }

        @Override
        public void bind(PreparedStatement statement, int index, Object state) throws SQLException {
            statement.setBytes(index, Base64.getDecoder().decode(state.toString()));
        }
    };

    /** ISO-8601 text of java.time values, for drivers that support JDBC 4.2 getObject/setObject. */
    static KeyCodec temporal(Class<?> type) {
        return new KeyCodec() {
            @Override
            public Object read(ResultSet rs, int index) throws SQLException {
                Object value = rs.getObject(index, type);
                return value == null ? null : value.toString();
            }

            @Override
            public void bind(PreparedStatement statement, int index, Object state) throws SQLException {
                String text = state.toString();
                Object value;
                if (type == LocalDate.class) {
                    value = LocalDate.parse(text);
                } else if (type == LocalTime.class) {
                    value = LocalTime.parse(text);
                } else if (type == LocalDateTime.class) {
                    value = LocalDateTime.parse(text);
                } else if (type == OffsetDateTime.class) {
                    value = OffsetDateTime.parse(text);
                } else {
                    throw CaravanException.system("no key binding for " + type, null);
                }
                statement.setObject(index, value);
            }
        };
    }
}
