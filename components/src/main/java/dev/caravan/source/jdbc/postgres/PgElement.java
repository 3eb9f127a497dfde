package dev.caravan.source.jdbc.postgres;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One array element from PostgreSQL's text (session TimeZone UTC, DateStyle ISO, IntervalStyle iso_8601) to JSON, with
 * the treatment the same value gets as a column: numbers as JSON numbers (float NaN/±Infinity as strings, as the
 * FLOAT types keep them), dates and times as ISO-8601 strings (BC as negative years, timestamptz as UTC with {@code Z}),
 * bytea as base64, json embedded, anything else as its text. A value the column type could not hold either (numeric
 * NaN/±Infinity, date/timestamp ±infinity, time 24:00) is refused: the array holds null there and a change names it.
 */
@FunctionalInterface
interface PgElement {
    /** Appends the JSON of the element's text; false (nothing appended) when the value has no faithful form. */
    boolean append(String text, StringBuilder json);

    JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    PgElement STRING = (text, json) -> {
        quoted(text, json);
        return true;
    };
    PgElement NUMBER = (text, json) -> {
        json.append(text);
        return true;
    };
    PgElement FLOAT = (text, json) -> {
        if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
            quoted(text, json);
        } else {
            json.append(text);
        }
        return true;
    };
    PgElement NUMERIC = (text, json) -> {
        if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
            return false;
        }
        json.append(text);
        return true;
    };
    PgElement BOOLEAN = (text, json) -> {
        json.append(text.equals("t") ? "true" : "false");
        return true;
    };
    PgElement BIT1 = (text, json) -> {
        json.append(text.equals("1") ? "true" : "false");
        return true;
    };
    PgElement JSON = NUMBER;
    PgElement BYTEA = (text, json) -> {
        json.append('"').append(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(text, 2, text.length()))).append('"');
        return true;
    };
    PgElement DATE = (text, json) -> {
        if (text.endsWith("infinity")) {
            return false;
        }
        json.append('"').append(date(text, text.length())).append('"');
        return true;
    };
    PgElement TIME = (text, json) -> {
        if (text.startsWith("24:")) {
            return false;
        }
        json.append('"').append(text).append('"');
        return true;
    };
    PgElement TIMESTAMP = (text, json) -> {
        if (text.endsWith("infinity")) {
            return false;
        }
        int space = text.indexOf(' ');
        int end = text.endsWith(" BC") ? text.length() - 3 : text.length();
        json.append('"').append(date(text, space)).append('T').append(text, space + 1, end).append('"');
        return true;
    };
    PgElement TIMESTAMPTZ = (text, json) -> {
        if (text.endsWith("infinity")) {
            return false;
        }
        int space = text.indexOf(' ');
        int end = text.endsWith(" BC") ? text.length() - 3 : text.length();
        int sign = Math.max(text.lastIndexOf('+', end - 1), text.lastIndexOf('-', end - 1));
        LocalDate day = date(text, space);
        String time = text.substring(space + 1, sign);
        String offset = text.substring(sign, end);
        json.append('"');
        if (offset.equals("+00")) {
            json.append(day).append('T').append(time);
        } else {
            LocalDateTime utc = LocalDateTime.of(day, LocalTime.parse(time)).minusSeconds(offsetSeconds(offset));
            json.append(utc.toLocalDate()).append('T').append(time(utc.toLocalTime()));
        }
        json.append("Z\"");
        return true;
    };

    /** PostgreSQL's {@code YYYY-MM-DD[ BC]} (the date ends at {@code end}, any year width) as a date, BC as year 1 - y. */
    static LocalDate date(String text, int end) {
        boolean bc = text.startsWith(" BC", end) || text.endsWith(" BC");
        int dash = text.indexOf('-', 1);
        int year = Integer.parseInt(text, 0, dash, 10);
        int month = Integer.parseInt(text, dash + 1, dash + 3, 10);
        int day = Integer.parseInt(text, dash + 4, dash + 6, 10);
        return LocalDate.of(bc ? 1 - year : year, month, day);
    }

    /** {@code +HH[:MM[:SS]]} in seconds. */
    static int offsetSeconds(String offset) {
        String[] parts = offset.substring(1).split(":");
        int seconds = 0;
        for (int i = 0; i < 3; i++) {
            seconds = seconds * 60 + (i < parts.length ? Integer.parseInt(parts[i]) : 0);
        }
        return offset.charAt(0) == '-' ? -seconds : seconds;
    }

    /** HH:MM:SS with the fraction PostgreSQL would print (trailing zeros dropped). */
    static String time(LocalTime time) {
        String text = time.withNano(0).toString();
        text = text.length() == 5 ? text + ":00" : text;
        if (time.getNano() == 0) {
            return text;
        }
        String fraction = String.format("%09d", time.getNano());
        int cut = fraction.length();
        while (fraction.charAt(cut - 1) == '0') {
            cut--;
        }
        return text + "." + fraction.substring(0, cut);
    }

    static void quoted(String text, StringBuilder json) {
        json.append('"');
        ENCODER.quoteAsString(text, json);
        json.append('"');
    }

    /** The element writer for an element type (its base type for domains) of precision {@code precision}. */
    static PgElement of(String elementType, int precision) {
        return switch (elementType) {
            case "int2", "int4", "int8", "oid" -> NUMBER;
            case "float4", "float8" -> FLOAT;
            case "numeric" -> NUMERIC;
            case "bool" -> BOOLEAN;
            case "bit" -> precision == 1 ? BIT1 : STRING;
            case "json", "jsonb" -> JSON;
            case "bytea" -> BYTEA;
            case "date" -> DATE;
            case "time" -> TIME;
            case "timestamp" -> TIMESTAMP;
            case "timestamptz" -> TIMESTAMPTZ;
            default -> STRING;
        };
    }
}
