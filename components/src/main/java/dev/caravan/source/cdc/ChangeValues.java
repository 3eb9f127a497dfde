package dev.caravan.source.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Debezium column values (Kafka Connect values with Debezium's semantic types, as configured by {@link DebeziumProperties}:
 * precise decimals, microsecond times, bytes) → the Java class of the stream's {@link FieldType}, so that a row from the
 * log looks like the same row read by the JDBC source.
 */
final class ChangeValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeValues() {
    }

    static Object convert(Object value, Schema schema, FieldType type) {
        if (value == null) {
            return null;
        }
        Object plain = plain(value, schema);
        return switch (type.kind()) {
            case BOOLEAN -> plain instanceof Boolean ? plain : Boolean.valueOf(plain.toString());
            case INT32 -> plain instanceof Number n ? Integer.valueOf(n.intValue()) : Integer.valueOf(plain.toString());
            case INT64 -> plain instanceof Number n ? Long.valueOf(n.longValue()) : Long.valueOf(plain.toString());
            case FLOAT32 -> plain instanceof Number n ? Float.valueOf(n.floatValue()) : Float.valueOf(plain.toString());
            case FLOAT64 -> plain instanceof Number n ? Double.valueOf(n.doubleValue()) : Double.valueOf(plain.toString());
            case DECIMAL -> decimal(plain, type);
            case STRING, JSON -> plain instanceof String s ? s : text(plain);
            case BYTES -> plain instanceof byte[] ? plain : plain.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            case DATE -> plain instanceof LocalDate ? plain : LocalDate.parse(plain.toString());
            case TIME -> plain instanceof LocalTime ? plain : LocalTime.parse(plain.toString());
            case TIMESTAMP -> plain instanceof LocalDateTime ? plain : LocalDateTime.parse(plain.toString());
            case TIMESTAMP_TZ -> plain instanceof Instant ? plain : plain instanceof LocalDateTime ldt ? ldt.toInstant(ZoneOffset.UTC)
                    : OffsetDateTime.parse(plain.toString()).toInstant();
        };
    }

    /** The value without Debezium's encodings: temporal numbers as java.time, variable decimals as BigDecimal, buffers as bytes. */
    private static Object plain(Object value, Schema schema) {
        String name = schema == null ? null : schema.name();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> {
                    return value instanceof Date d ? d.toInstant().atZone(ZoneOffset.UTC).toLocalDate() : LocalDate.ofEpochDay(((Number) value).longValue());
                }
                case "io.debezium.time.MicroTimestamp" -> {
                    return micros(((Number) value).longValue());
                }
                case "io.debezium.time.Timestamp" -> {
                    return micros(((Number) value).longValue() * 1000);
                }
                case "io.debezium.time.NanoTimestamp" -> {
                    long nanos = ((Number) value).longValue();
                    return LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), (int) Math.floorMod(nanos, 1_000_000_000L), ZoneOffset.UTC);
                }
                case "io.debezium.time.ZonedTimestamp" -> {
                    return OffsetDateTime.parse(value.toString()).toInstant();
                }
                case "io.debezium.time.MicroTime" -> {
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1000);
                }
                case "io.debezium.time.Time" -> {
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000);
                }
                case "io.debezium.time.NanoTime" -> {
                    return LocalTime.ofNanoOfDay(((Number) value).longValue());
                }
                case "io.debezium.data.VariableScaleDecimal" -> {
                    Struct s = (Struct) value;
                    return new BigDecimal(new BigInteger(bytes(s.get("value"))), s.getInt32("scale"));
                }
                default -> {
                    // other semantic types (Json, Uuid, Enum, Bits, ...) are carried by their plain value
                }
            }
        }
        if (value instanceof ByteBuffer || value instanceof byte[]) {
            return bytes(value);
        }
        if (value instanceof Date d) {
            return LocalDateTime.ofInstant(d.toInstant(), ZoneOffset.UTC);
        }
        if (value instanceof Struct || value instanceof List<?> || value instanceof java.util.Map<?, ?>) {
            return text(json(value));
        }
        return value;
    }

    private static LocalDateTime micros(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static BigDecimal decimal(Object plain, FieldType type) {
        BigDecimal d = plain instanceof BigDecimal b ? b : new BigDecimal(plain.toString());
        return d.scale() == type.scale() ? d : d.setScale(type.scale(), RoundingMode.HALF_EVEN);
    }

    /** Structs, arrays and maps as JSON-ready Java values. */
    private static Object json(Object value) {
        if (value instanceof Struct s) {
            java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
            for (org.apache.kafka.connect.data.Field f : s.schema().fields()) {
                map.put(f.name(), json(s.get(f)));
            }
            return map;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(json(v)));
            return out;
        }
        if (value instanceof ByteBuffer || value instanceof byte[]) {
            return java.util.Base64.getEncoder().encodeToString(bytes(value));
        }
        return value;
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof java.util.Map<?, ?> || value instanceof List<?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return value.toString();
    }
}
