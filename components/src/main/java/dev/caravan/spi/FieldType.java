package dev.caravan.spi;

import java.util.Objects;

/**
 * The logical type of a field and the Java class its values have in a {@link RecordBatch}:
 * BOOLEAN → Boolean; INT32 → Integer (any Number accepted); INT64 → Long (any Number);
 * FLOAT32 → Float; FLOAT64 → Double; DECIMAL → BigDecimal; STRING, JSON → String (JSON holds
 * serialized JSON text); DATE → LocalDate; TIME → LocalTime; TIMESTAMP → LocalDateTime (no zone);
 * TIMESTAMP_TZ → Instant; BYTES → byte[]. A value may always be {@code null}.
 */
public record FieldType(Kind kind, int precision, int scale) {

    /** The logical kinds of value; the Java class of each is listed on {@link FieldType}. */
    public enum Kind { BOOLEAN, INT32, INT64, FLOAT32, FLOAT64, DECIMAL, STRING, JSON, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ, BYTES }

    public static final int MAX_DECIMAL_PRECISION = 38;

    public static final FieldType BOOLEAN = of(Kind.BOOLEAN);
    public static final FieldType INT32 = of(Kind.INT32);
    public static final FieldType INT64 = of(Kind.INT64);
    public static final FieldType FLOAT32 = of(Kind.FLOAT32);
    public static final FieldType FLOAT64 = of(Kind.FLOAT64);
    public static final FieldType STRING = of(Kind.STRING);
    public static final FieldType JSON = of(Kind.JSON);
    public static final FieldType DATE = of(Kind.DATE);
    public static final FieldType TIME = of(Kind.TIME);
    public static final FieldType TIMESTAMP = of(Kind.TIMESTAMP);
    public static final FieldType TIMESTAMP_TZ = of(Kind.TIMESTAMP_TZ);
    public static final FieldType BYTES = of(Kind.BYTES);

    public FieldType {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.DECIMAL) {
            if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
                throw new IllegalArgumentException("decimal(" + precision + "," + scale + ") needs 1 <= precision <= 38 and 0 <= scale <= precision");
            }
        } else if (precision != 0 || scale != 0) {
            throw new IllegalArgumentException(kind + " takes no precision or scale");
        }
    }

    private static FieldType of(Kind kind) {
        return new FieldType(kind, 0, 0);
    }

    public static FieldType decimal(int precision, int scale) {
        return new FieldType(Kind.DECIMAL, precision, scale);
    }

    @Override
    public String toString() {
        return kind == Kind.DECIMAL ? "decimal(" + precision + "," + scale + ")" : kind.name().toLowerCase();
    }
}
