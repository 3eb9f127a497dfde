package dev.caravan.source.file;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.FieldType.Kind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The columns of a stream inferred from a sample: one per name seen, in order of first appearance, typed by every value
 * seen and widened across files (int + bigint = bigint, integer + number = number, decimals to the wider one; any other
 * conflict falls back to string). A CSV text is typed by its form (true/false, integer without a leading zero, number,
 * yyyy-MM-dd, ISO date-time with or without offset; an integer beyond 18 digits stays a string, not a lossy double); a JSON string only as a date or date-time, else string; a JSON object
 * or array as JSON; a Parquet column by its declared type. A column seen only as null is a string.
 */
final class ColumnTypes implements RawRow.Columns {
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?|-?\\.[0-9]+");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern DATE_TIME = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?");
    private static final Pattern DATE_TIME_OFFSET = Pattern.compile(DATE_TIME.pattern() + "(Z|[+-][0-9]{2}(:?[0-9]{2})?)");
    private static final Pattern DECIMAL_TYPE = Pattern.compile("decimal\\(\\s*([0-9]{1,2})\\s*,\\s*([0-9]{1,2})\\s*\\)");

    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<FieldType> types = new ArrayList<>();

    @Override
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            i = types.size();
            index.put(name, i);
            types.add(null);
        }
        return i;
    }

    /** Widens column {@code column}'s type by a raw value of a sampled row. */
    void observe(int column, Object raw, boolean textIsCsv) {
        if (raw == null) {
            return;
        }
        FieldType seen = raw instanceof String text ? (textIsCsv ? ofCsvText(text) : ofJsonText(text)) : RawValues.typeOf(raw);
        declare(column, seen);
    }

    /** Widens column {@code column}'s type by a declared one (a Parquet file's). */
    void declare(int column, FieldType seen) {
        if (seen != null) {
            FieldType before = types.get(column);
            types.set(column, before == null ? seen : widen(before, seen));
        }
    }

    /** The columns seen so far: name → index. */
    Map<String, Integer> columns() {
        return index;
    }

    boolean isEmpty() {
        return index.isEmpty();
    }

    /** The columns seen, each typed by its override if any, else by the sample. */
    List<Field> fields(Map<String, FieldType> overrides) {
        List<Field> fields = new ArrayList<>();
        index.forEach((name, i) -> {
            FieldType type = overrides.getOrDefault(name, types.get(i) == null ? FieldType.STRING : types.get(i));
            fields.add(Field.nullable(name, type));
        });
        overrides.forEach((name, type) -> {
            if (!index.containsKey(name)) {
                fields.add(Field.nullable(name, type));
            }
        });
        return fields;
    }

    static FieldType widen(FieldType a, FieldType b) {
        if (a.equals(b)) {
            return a;
        }
        Kind x = a.kind();
        Kind y = b.kind();
        if (integral(x) && integral(y)) {
            return FieldType.INT64;
        }
        if ((integral(x) || floating(x)) && (integral(y) || floating(y))) {
            return FieldType.FLOAT64;
        }
        if (x == Kind.DECIMAL && y == Kind.DECIMAL) {
            int scale = Math.max(a.scale(), b.scale());
            int digits = Math.max(a.precision() - a.scale(), b.precision() - b.scale());
            return digits + scale <= FieldType.MAX_DECIMAL_PRECISION ? FieldType.decimal(digits + scale, scale) : FieldType.STRING;
        }
        return FieldType.STRING;
    }

    private static boolean integral(Kind k) {
        return k == Kind.INT32 || k == Kind.INT64;
    }

    private static boolean floating(Kind k) {
        return k == Kind.FLOAT32 || k == Kind.FLOAT64;
    }

    static FieldType ofCsvText(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return FieldType.BOOLEAN;
        }
        if (INTEGER.matcher(text).matches()) {
            return FieldType.INT64;
        }
        boolean fractionOrExponent = text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0;
        if (fractionOrExponent && NUMBER.matcher(text).matches() && !(text.length() > 1 && text.charAt(0) == '0' && text.charAt(1) != '.')) {
            return FieldType.FLOAT64;
        }
        return ofJsonText(text);
    }

    static FieldType ofJsonText(String text) {
        if (DATE.matcher(text).matches()) {
            return RawValues.parses(FieldType.DATE, text) ? FieldType.DATE : FieldType.STRING;
        }
        if (DATE_TIME.matcher(text).matches()) {
            return RawValues.parses(FieldType.TIMESTAMP, text) ? FieldType.TIMESTAMP : FieldType.STRING;
        }
        if (DATE_TIME_OFFSET.matcher(text).matches()) {
            return RawValues.parses(FieldType.TIMESTAMP_TZ, text) ? FieldType.TIMESTAMP_TZ : FieldType.STRING;
        }
        return FieldType.STRING;
    }

    /** A type named in a stream's {@code schema} override. */
    static FieldType parseType(String at, String name) {
        String n = name.trim().toLowerCase();
        Matcher decimal = DECIMAL_TYPE.matcher(n);
        if (decimal.matches()) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = Integer.parseInt(decimal.group(2));
            if (precision >= 1 && precision <= FieldType.MAX_DECIMAL_PRECISION && scale <= precision) {
                return FieldType.decimal(precision, scale);
            }
        }
        return switch (n) {
            case "boolean" -> FieldType.BOOLEAN;
            case "integer", "bigint", "int64" -> FieldType.INT64;
            case "int", "int32" -> FieldType.INT32;
            case "number", "double", "float64" -> FieldType.FLOAT64;
            case "float", "float32" -> FieldType.FLOAT32;
            case "string" -> FieldType.STRING;
            case "json" -> FieldType.JSON;
            case "date" -> FieldType.DATE;
            case "time" -> FieldType.TIME;
            case "timestamp" -> FieldType.TIMESTAMP;
            case "timestamp_tz", "timestamptz" -> FieldType.TIMESTAMP_TZ;
            default -> throw FileStreamSpec.problem(at, name, "use one of boolean, integer, int, number, float, decimal(p,s) "
                    + "(1 <= p <= 38, s <= p), string, json, date, time, timestamp, timestamp_tz");
        };
    }
}
