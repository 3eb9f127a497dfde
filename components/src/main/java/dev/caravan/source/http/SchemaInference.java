package dev.caravan.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema of a stream that declares none, from a sample of its records: one column per top-level field seen, in
 * order of first appearance, typed by every value seen and widened across the sample (integer + number = number;
 * date-time / date texts + other texts = string; scalars of different kinds = string; any object or array = JSON;
 * only nulls = string).
 */
final class SchemaInference {
    private enum Seen { NONE, BOOLEAN, INTEGER, NUMBER, TIMESTAMP, DATE, STRING, JSON }

    private final Map<String, Seen> fields = new LinkedHashMap<>();

    void observe(JsonNode record) {
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            fields.merge(e.getKey(), kind(e.getValue()), SchemaInference::widen);
        }
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    Schema schema() {
        List<Field> out = new ArrayList<>();
        fields.forEach((name, seen) -> out.add(Field.nullable(name, switch (seen) {
            case BOOLEAN -> FieldType.BOOLEAN;
            case INTEGER -> FieldType.INT64;
            case NUMBER -> FieldType.FLOAT64;
            case TIMESTAMP -> FieldType.TIMESTAMP_TZ;
            case DATE -> FieldType.DATE;
            case JSON -> FieldType.JSON;
            default -> FieldType.STRING;
        })));
        return new Schema(out);
    }

    private static Seen kind(JsonNode v) {
        if (v == null || v.isNull()) {
            return Seen.NONE;
        }
        if (v.isContainerNode()) {
            return Seen.JSON;
        }
        if (v.isBoolean()) {
            return Seen.BOOLEAN;
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? Seen.INTEGER : Seen.NUMBER;
        }
        if (v.isNumber()) {
            return Seen.NUMBER;
        }
        String text = v.asText();
        if (text.length() >= 20 && text.length() <= 40 && text.charAt(4) == '-' && text.charAt(10) == 'T') {
            try {
                OffsetDateTime.parse(text);
                return Seen.TIMESTAMP;
            } catch (RuntimeException e) {
                return Seen.STRING;
            }
        }
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
            try {
                LocalDate.parse(text);
                return Seen.DATE;
            } catch (RuntimeException e) {
                return Seen.STRING;
            }
        }
        return Seen.STRING;
    }

    private static Seen widen(Seen a, Seen b) {
        if (a == b || b == Seen.NONE) {
            return a;
        }
        if (a == Seen.NONE) {
            return b;
        }
        if (a == Seen.JSON || b == Seen.JSON) {
            return Seen.JSON;
        }
        if ((a == Seen.INTEGER || a == Seen.NUMBER) && (b == Seen.INTEGER || b == Seen.NUMBER)) {
            return Seen.NUMBER;
        }
        return Seen.STRING;
    }
}
