package dev.caravan.source.jdbc;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Readers of the generic {@code jdbc} connector, which knows the database only through {@link java.sql.Types}: each
 * checks what a driver may silently bend (PostgreSQL's {@code 24:00} read as 23:59:59.999999999, ±infinity read as
 * {@code LocalDate.MAX}, a zero date read as null, a TINYINT(1) holding 2 read as true) and delivers it as
 * {@link ValueReader#UNREPRESENTABLE} instead. {@link #lenient} turns a driver's refusal to convert one value into the
 * same, so no single value fails a stream.
 */
final class GenericReaders {
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d\\d-\\d\\d");
    private static final Pattern DAY_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d(:\\d\\d(\\.\\d{1,9})?)?");
    private static final Pattern CLOCK = Pattern.compile("-?\\d+:\\d\\d(:\\d\\d(\\.\\d+)?)?");

    private GenericReaders() {
    }

    /** {@code reader}, with a value the driver cannot convert (SQLState class 22, conversion exceptions) unrepresentable. */
    static ValueReader lenient(ValueReader reader) {
        return (rs, i) -> {
            try {
                return reader.read(rs, i);
            } catch (SQLException e) {
                String state = e.getSQLState();
                if (state == null || state.startsWith("22") || state.startsWith("HY")) {
                    return ValueReader.UNREPRESENTABLE;
                }
                throw e;
            } catch (DateTimeException | ArithmeticException | IllegalArgumentException | ClassCastException e) {
                return ValueReader.UNREPRESENTABLE;
            }
        };
    }

    /** True/false from the value's text (1/0, t/f, true/false); anything else (a TINYINT(1) holding 2) is unrepresentable. */
    static final ValueReader BOOLEAN = (rs, i) -> {
        String text = rs.getString(i);
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "1", "t", "true", "\u0001" -> Boolean.TRUE;
            case "0", "f", "false", "\u0000" -> Boolean.FALSE;
            default -> ValueReader.UNREPRESENTABLE;
        };
    };

    /** A bit string of {@code bits} bits as text of 0s and 1s, whether the driver gives bytes, a boolean or text. */
    static ValueReader bitString(int bits) {
        return (rs, i) -> {
            Object value = rs.getObject(i);
            if (value == null) {
                return null;
            }
            if (value instanceof byte[] bytes) {
                StringBuilder text = new StringBuilder(bits);
                for (int bit = bits - 1; bit >= 0; bit--) {
                    int index = bytes.length - 1 - bit / 8;
                    text.append(index >= 0 && (bytes[index] >> (bit % 8) & 1) == 1 ? '1' : '0');
                }
                return text.toString();
            }
            if (value instanceof Boolean b) {
                return b ? "1" : "0";
            }
            return value.toString();
        };
    }

    /** A decimal from its text; NaN and infinities (no decimal form) are unrepresentable, as are values that would round. */
    static ValueReader decimal(int precision, int scale) {
        return (rs, i) -> {
            String text = rs.getString(i);
            if (text == null) {
                return null;
            }
            BigDecimal value;
            try {
                value = new BigDecimal(text.strip());
            } catch (NumberFormatException notANumber) {
                return ValueReader.UNREPRESENTABLE;
            }
            return ValueReaders.fit(value, precision, scale);
        };
    }

    /**
     * A date from its text ({@code YYYY-MM-DD}) where it has that form, else from the driver; a text of that form that is
     * no date ({@code 0000-00-00}) and the driver's ±infinity ({@code LocalDate.MAX/MIN}) are unrepresentable.
     */
    static final ValueReader DATE = (rs, i) -> {
        String text = rs.getString(i);
        if (text == null) {
            return null;
        }
        if (DAY.matcher(text).matches()) {
            return LocalDate.parse(text);
        }
        LocalDate v = rs.getObject(i, LocalDate.class);
        return v == null || v.equals(LocalDate.MAX) || v.equals(LocalDate.MIN) ? ValueReader.UNREPRESENTABLE : v;
    };

    /**
     * A timestamp without zone from its text ({@code YYYY-MM-DD HH:MM:SS[.fraction]}) where it has that form: drivers that
     * build it through the JVM's time zone move wall-clock times inside a daylight-saving gap. Otherwise from the driver.
     */
    static final ValueReader TIMESTAMP = (rs, i) -> {
        String text = rs.getString(i);
        if (text == null) {
            return null;
        }
        if (DAY_TIME.matcher(text).matches()) {
            return LocalDateTime.parse(text.replace(' ', 'T'));
        }
        LocalDateTime v = rs.getObject(i, LocalDateTime.class);
        return v == null || v.equals(LocalDateTime.MAX) || v.equals(LocalDateTime.MIN) ? ValueReader.UNREPRESENTABLE : v;
    };

    static final ValueReader TIMESTAMP_TZ = (rs, i) -> {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        if (v == null) {
            return rs.wasNull() ? null : ValueReader.UNREPRESENTABLE;
        }
        return v.equals(OffsetDateTime.MAX) || v.equals(OffsetDateTime.MIN) ? ValueReader.UNREPRESENTABLE : v.toInstant();
    };

    /**
     * A time of day from its text ({@code HH:MM:SS[.fraction]}); a clock text outside a day ({@code 24:00:00},
     * {@code -838:59:59}) is unrepresentable; other texts are left to the driver.
     */
    static final ValueReader TIME = (rs, i) -> {
        String text = rs.getString(i);
        if (text == null) {
            return null;
        }
        try {
            return LocalTime.parse(text);
        } catch (DateTimeException notIso) {
            if (CLOCK.matcher(text).matches()) {
                return ValueReader.UNREPRESENTABLE;
            }
            return rs.getObject(i, LocalTime.class);
        }
    };
}
