package dev.caravan.source.file;

import dev.caravan.spi.FieldType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Base64;

/**
 * Converts a raw value (a CSV text, a JSON scalar, a {@link JsonText}, a Parquet value) to the Java class of a
 * {@link FieldType}; a value that does not fit throws {@link IllegalArgumentException} with the reason.
 */
final class RawValues {
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().optionalEnd()
            .toFormatter().withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter OFFSET = new DateTimeFormatterBuilder().append(LOCAL)
            .appendOffset("+HH:MM", "Z").toFormatter().withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter OFFSET_COMPACT = new DateTimeFormatterBuilder().append(LOCAL)
            .appendOffset("+HHmm", "Z").toFormatter().withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter OFFSET_HOURS = new DateTimeFormatterBuilder().append(LOCAL)
            .appendOffset("+HH", "Z").toFormatter().withResolverStyle(ResolverStyle.STRICT);

    private RawValues() {
    }

    static boolean parses(FieldType type, String text) {
        try {
            convert(text, type);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The type of a typed raw value (not a text). */
    static FieldType typeOf(Object raw) {
        if (raw instanceof Boolean) {
            return FieldType.BOOLEAN;
        } else if (raw instanceof Integer) {
            return FieldType.INT32;
        } else if (raw instanceof Long) {
            return FieldType.INT64;
        } else if (raw instanceof Float) {
            return FieldType.FLOAT32;
        } else if (raw instanceof Double || raw instanceof BigInteger || raw instanceof JsonNumber) {
            return FieldType.FLOAT64;
        } else if (raw instanceof BigDecimal d) {
            int scale = Math.max(0, Math.min(d.scale(), FieldType.MAX_DECIMAL_PRECISION - 1));
            return FieldType.decimal(Math.min(FieldType.MAX_DECIMAL_PRECISION, Math.max(d.precision(), scale + 1)), scale);
        } else if (raw instanceof JsonText) {
            return FieldType.JSON;
        } else if (raw instanceof LocalDate) {
            return FieldType.DATE;
        } else if (raw instanceof LocalTime) {
            return FieldType.TIME;
        } else if (raw instanceof LocalDateTime) {
            return FieldType.TIMESTAMP;
        } else if (raw instanceof Instant) {
            return FieldType.TIMESTAMP_TZ;
        } else if (raw instanceof byte[]) {
            return FieldType.BYTES;
        }
        return FieldType.STRING;
    }

    static Object convert(Object raw, FieldType type) {
        if (raw instanceof String text) {
            return fromText(text, type);
        }
        if (raw instanceof JsonNumber number) {
            return switch (type.kind()) {
                case STRING, JSON -> number.text();
                case INT32, INT64 -> convert(new BigDecimal(number.text()), type);
                default -> fromText(number.text(), type);
            };
        }
        return switch (type.kind()) {
            case STRING -> text(raw);
            case JSON -> raw instanceof JsonText j ? j.json() : text(raw);
            case BOOLEAN -> raw instanceof Boolean ? raw : fail("not a boolean");
            case INT32 -> raw instanceof Integer ? raw : Math.toIntExact(integral(raw));
            case INT64 -> integral(raw);
            case FLOAT32 -> raw instanceof Number n && !(raw instanceof BigDecimal) ? n.floatValue() : decimal(raw).floatValue();
            case FLOAT64 -> raw instanceof Number n && !(raw instanceof BigDecimal) ? n.doubleValue() : decimal(raw).doubleValue();
            case DECIMAL -> fitted(decimal(raw), type);
            case DATE -> raw instanceof LocalDate ? raw : fail("not a date");
            case TIME -> raw instanceof LocalTime ? raw : fail("not a time");
            case TIMESTAMP -> raw instanceof LocalDateTime ? raw : fail("not a timestamp without time zone");
            case TIMESTAMP_TZ -> raw instanceof Instant ? raw : fail("not a timestamp with time zone");
            case BYTES -> raw instanceof byte[] ? raw : text(raw).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static Object fromText(String text, FieldType type) {
        try {
            return switch (type.kind()) {
                case STRING, JSON -> text;
                case BOOLEAN -> {
                    if (text.equalsIgnoreCase("true")) {
                        yield Boolean.TRUE;
                    }
                    if (text.equalsIgnoreCase("false")) {
                        yield Boolean.FALSE;
                    }
                    yield fail("not true or false");
                }
                case INT32 -> Integer.parseInt(text.trim());
                case INT64 -> Long.parseLong(text.trim());
                case FLOAT32 -> finite(Float.parseFloat(text.trim()), text);
                case FLOAT64 -> finite(Double.parseDouble(text.trim()), text);
                case DECIMAL -> fitted(new BigDecimal(text.trim()), type);
                case DATE -> LocalDate.parse(text.trim());
                case TIME -> LocalTime.parse(text.trim());
                case TIMESTAMP -> {
                    LocalDateTime fast = IsoTimes.localDateTime(text);
                    yield fast != null ? fast : LocalDateTime.parse(text.trim(), LOCAL);
                }
                case TIMESTAMP_TZ -> {
                    Instant fast = IsoTimes.instant(text);
                    yield fast != null ? fast : instant(text.trim());
                }
                case BYTES -> Base64.getDecoder().decode(text.trim());
            };
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("'")) {
                throw e;
            }
            throw new IllegalArgumentException("'" + abbreviated(text) + "' is not a valid " + type);
        }
    }

    private static Float finite(float value, String text) {
        return Float.isInfinite(value) && !text.contains("nf") ? fail("'" + abbreviated(text) + "' is out of range") : value;
    }

    private static Double finite(double value, String text) {
        return Double.isInfinite(value) && !text.contains("nf") ? fail("'" + abbreviated(text) + "' is out of range") : value;
    }

    private static Instant instant(String text) {
        for (DateTimeFormatter f : new DateTimeFormatter[] {OFFSET, OFFSET_COMPACT, OFFSET_HOURS}) {
            try {
                return OffsetDateTime.parse(text, f).toInstant();
            } catch (RuntimeException e) {
                // try the next form
            }
        }
        throw new IllegalArgumentException("no offset");
    }

    private static long integral(Object raw) {
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number n) {
            BigDecimal d = decimal(n);
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return fail("'" + raw + "' is not a whole number in the 64-bit range");
            }
        }
        return fail("'" + abbreviated(text(raw)) + "' is not a number");
    }

    private static BigDecimal decimal(Object raw) {
        if (raw instanceof BigDecimal d) {
            return d;
        } else if (raw instanceof BigInteger i) {
            return new BigDecimal(i);
        } else if (raw instanceof Double || raw instanceof Float) {
            return new BigDecimal(raw.toString());
        } else if (raw instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        return fail("'" + abbreviated(text(raw)) + "' is not a number");
    }

    private static BigDecimal fitted(BigDecimal value, FieldType type) {
        // judged before rescaling: 1e999999999 rescaled (or printed) would need gigabytes
        if (value.signum() != 0 && (value.precision() - value.scale() > type.precision() - type.scale()
                || value.scale() > FieldType.MAX_DECIMAL_PRECISION * 2)) {
            return fail("'" + abbreviated(value.toString()) + "' does not fit " + type);
        }
        BigDecimal scaled;
        try {
            scaled = value.setScale(type.scale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            return fail("'" + abbreviated(value.toString()) + "' has more than " + type.scale() + " decimals (" + type + ")");
        }
        if (scaled.precision() > type.precision()) {
            return fail("'" + abbreviated(value.toString()) + "' does not fit " + type);
        }
        return scaled;
    }

    private static String text(Object raw) {
        if (raw instanceof JsonText j) {
            return j.json();
        } else if (raw instanceof BigDecimal d) {
            return d.toPlainString();
        } else if (raw instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        return String.valueOf(raw);
    }

    static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static <T> T fail(String reason) {
        throw new IllegalArgumentException(reason);
    }
}
