package dev.caravan.source.jdbc;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.Locale;

/**
 * SQL arrays as JSON text: numbers and booleans as JSON values, NaN and infinities as strings, text as strings,
 * dates and times as ISO-8601 strings, binary as base64, json elements embedded as JSON, nested arrays as nested arrays.
 */
final class JsonArrays {
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private JsonArrays() {
    }

    static String toJson(Object array, String baseTypeName) {
        String base = baseTypeName == null ? "" : baseTypeName.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(64);
        append(out, array, base);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value, String base) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Object[] items) {
            out.append('[');
            for (int i = 0; i < items.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, items[i], base);
            }
            out.append(']');
        } else if (value.getClass().isArray() && !(value instanceof byte[])) {
            int length = java.lang.reflect.Array.getLength(value);
            out.append('[');
            for (int i = 0; i < length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, java.lang.reflect.Array.get(value, i), base);
            }
            out.append(']');
        } else if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            quoted(out, value.toString());
        } else if (value instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof byte[] bytes) {
            quoted(out, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Timestamp ts) {
            quoted(out, base.endsWith("tz") || base.contains("time zone") ? ts.toInstant().toString() : ts.toLocalDateTime().toString());
        } else if (value instanceof java.sql.Date date) {
            quoted(out, date.toLocalDate().toString());
        } else if (value instanceof java.sql.Time time) {
            quoted(out, time.toLocalTime().toString());
        } else if (base.equals("json") || base.equals("jsonb")) {
            out.append(value);
        } else {
            quoted(out, value.toString());
        }
    }

    private static void quoted(StringBuilder out, String text) {
        out.append('"');
        ENCODER.quoteAsString(text, out);
        out.append('"');
    }
}
