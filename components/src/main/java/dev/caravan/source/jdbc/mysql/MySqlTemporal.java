package dev.caravan.source.jdbc.mysql;

import dev.caravan.source.jdbc.ValueReader;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * MySQL dates and times from their text form. Zero dates ({@code 0000-00-00}), dates with a zero month or day and times
 * outside a day ({@code -12:00:00}, {@code 838:59:59}) have no java.time value: {@link ValueReader#UNREPRESENTABLE}.
 * TIMESTAMP columns are read in a UTC session, so their text is UTC.
 */
final class MySqlTemporal {
    private MySqlTemporal() {
    }

    static final ValueReader DATE = (rs, i) -> date(rs.getString(i));
    static final ValueReader DATETIME = (rs, i) -> dateTime(rs.getString(i));
    static final ValueReader TIMESTAMP = (rs, i) -> {
        Object v = dateTime(rs.getString(i));
        return v instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC) : v;
    };
    static final ValueReader TIME = (rs, i) -> time(rs.getString(i));

    static Object date(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() < 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return ValueReader.UNREPRESENTABLE;
        }
        try {
            return LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10));
        } catch (DateTimeException | NumberFormatException e) {
            return ValueReader.UNREPRESENTABLE;
        }
    }

    static Object dateTime(String text) {
        if (text == null) {
            return null;
        }
        Object date = date(text);
        if (!(date instanceof LocalDate day)) {
            return date;
        }
        if (text.length() == 10) {
            return day.atStartOfDay();
        }
        Object time = text.length() > 11 && (text.charAt(10) == ' ' || text.charAt(10) == 'T') ? time(text.substring(11)) : ValueReader.UNREPRESENTABLE;
        return time instanceof LocalTime t ? LocalDateTime.of(day, t) : time;
    }

    /** {@code HH:MM:SS[.fraction]} within a day. */
    static Object time(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() < 8 || text.charAt(2) != ':' || text.charAt(5) != ':') {
            return ValueReader.UNREPRESENTABLE;
        }
        try {
            int nanos = 0;
            if (text.length() > 9 && text.charAt(8) == '.') {
                String fraction = text.substring(9);
                if (fraction.length() > 9) {
                    return ValueReader.UNREPRESENTABLE;
                }
                nanos = digits(fraction, 0, fraction.length());
                for (int i = fraction.length(); i < 9; i++) {
                    nanos *= 10;
                }
            } else if (text.length() != 8) {
                return ValueReader.UNREPRESENTABLE;
            }
            return LocalTime.of(digits(text, 0, 2), digits(text, 3, 5), digits(text, 6, 8), nanos);
        } catch (DateTimeException | NumberFormatException e) {
            return ValueReader.UNREPRESENTABLE;
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
