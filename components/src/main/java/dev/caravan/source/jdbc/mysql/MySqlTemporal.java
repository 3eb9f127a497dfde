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

    /** The last date text parsed by {@link #dateTime} and its value: rows in key order mostly share their day. */
    private record Day(String text, LocalDate date) {
    }

    private static volatile Day lastDay = new Day("1970-01-01", LocalDate.EPOCH);

    static Object dateTime(String text) {
        if (text == null) {
            return null;
        }
        Day day = lastDay;
        LocalDate date;
        if (text.length() >= 10 && text.regionMatches(0, day.text(), 0, 10)) {
            date = day.date();
        } else {
            Object parsed = date(text);
            if (!(parsed instanceof LocalDate d)) {
                return parsed;
            }
            date = d;
            lastDay = new Day(text.substring(0, 10), d);
        }
        if (text.length() == 10) {
            return date.atStartOfDay();
        }
        Object time = text.length() > 11 && (text.charAt(10) == ' ' || text.charAt(10) == 'T') ? time(text, 11) : ValueReader.UNREPRESENTABLE;
        return time instanceof LocalTime t ? LocalDateTime.of(date, t) : time;
    }

    /** {@code HH:MM:SS[.fraction]} within a day. */
    static Object time(String text) {
        return text == null ? null : time(text, 0);
    }

    /** {@code HH:MM:SS[.fraction]} within a day, from {@code at} to the end of {@code text}. */
    private static Object time(String text, int at) {
        int length = text.length() - at;
        if (length < 8 || text.charAt(at + 2) != ':' || text.charAt(at + 5) != ':') {
            return ValueReader.UNREPRESENTABLE;
        }
        try {
            int nanos = 0;
            if (length > 9 && text.charAt(at + 8) == '.') {
                int fractionDigits = length - 9;
                if (fractionDigits > 9) {
                    return ValueReader.UNREPRESENTABLE;
                }
                nanos = digits(text, at + 9, text.length());
                for (int i = fractionDigits; i < 9; i++) {
                    nanos *= 10;
                }
            } else if (length != 8) {
                return ValueReader.UNREPRESENTABLE;
            }
            return LocalTime.of(digits(text, at, at + 2), digits(text, at + 3, at + 5), digits(text, at + 6, at + 8), nanos);
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
