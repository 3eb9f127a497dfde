package dev.caravan.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a JSON record into a row of the declared schema. A value that does not match its declared type is delivered
 * as null with a NULLED / SOURCE_SERIALIZATION_ERROR change (the record is kept, never dropped).
 */
final class RecordMapper {
    private final Schema schema;

    RecordMapper(Schema schema) {
        this.schema = schema;
    }

    /** The row; problems are appended to {@code changes}. */
    Object[] row(JsonNode record, List<FieldChange> changes) {
        Object[] row = new Object[schema.size()];
        for (int i = 0; i < row.length; i++) {
            JsonNode v = record.get(schema.field(i).name());
            if (v == null || v.isNull()) {
                continue;
            }
            Object value = value(v, schema.field(i).type());
            if (value == null) {
                changes.add(new FieldChange(schema.field(i).name(), FieldChange.NULLED, FieldChange.SOURCE_SERIALIZATION_ERROR));
            }
            row[i] = value;
        }
        return row;
    }

    static Object value(JsonNode v, FieldType type) {
        try {
            return switch (type.kind()) {
                case INT64 -> v.isIntegralNumber() && v.canConvertToLong() ? (Object) v.asLong()
                        : v.isTextual() ? (Object) Long.parseLong(v.asText()) : null;
                case FLOAT64 -> v.isNumber() ? (Object) v.asDouble() : v.isTextual() ? (Object) Double.parseDouble(v.asText()) : null;
                case BOOLEAN -> v.isBoolean() ? (Object) v.asBoolean() : null;
                case JSON -> v.toString();
                case TIMESTAMP_TZ -> v.isIntegralNumber() ? Instant.ofEpochSecond(v.asLong())
                        : v.isTextual() ? OffsetDateTime.parse(v.asText()).toInstant() : null;
                case DATE -> v.isTextual() ? LocalDate.parse(v.asText()) : null;
                default -> v.isValueNode() ? v.asText() : null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Compares two cursor values of a field of {@code type} (as their JSON texts); unparseable texts compare as text. */
    static int compareCursor(String a, String b, FieldType type) {
        try {
            return switch (type.kind()) {
                case INT64 -> Long.compare(Long.parseLong(a), Long.parseLong(b));
                case FLOAT64 -> Double.compare(Double.parseDouble(a), Double.parseDouble(b));
                case TIMESTAMP_TZ -> OffsetDateTime.parse(a).toInstant().compareTo(OffsetDateTime.parse(b).toInstant());
                default -> a.compareTo(b);
            };
        } catch (RuntimeException e) {
            return a.compareTo(b);
        }
    }

    static List<FieldChange> none() {
        return new ArrayList<>(0);
    }
}
