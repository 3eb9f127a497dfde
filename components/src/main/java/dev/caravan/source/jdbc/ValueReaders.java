package dev.caravan.source.jdbc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/** Readers shared by the dialects; each returns the class {@link dev.caravan.spi.FieldType} prescribes for its kind. */
public final class ValueReaders {
    private ValueReaders() {
    }

    public static final ValueReader INT32 = (rs, i) -> {
        int v = rs.getInt(i);
        return v == 0 && rs.wasNull() ? null : v;
    };

    public static final ValueReader INT64 = (rs, i) -> {
        long v = rs.getLong(i);
        return v == 0 && rs.wasNull() ? null : v;
    };

    public static final ValueReader FLOAT32 = (rs, i) -> {
        float v = rs.getFloat(i);
        return v == 0 && rs.wasNull() ? null : v;
    };

    public static final ValueReader FLOAT64 = (rs, i) -> {
        double v = rs.getDouble(i);
        return v == 0 && rs.wasNull() ? null : v;
    };

    public static final ValueReader BOOLEAN = (rs, i) -> {
        boolean v = rs.getBoolean(i);
        return !v && rs.wasNull() ? null : v;
    };

    public static final ValueReader STRING = (rs, i) -> rs.getString(i);

    public static final ValueReader BYTES = (rs, i) -> rs.getBytes(i);

    public static final ValueReader DECIMAL = (rs, i) -> rs.getBigDecimal(i);

    public static final ValueReader DATE = (rs, i) -> rs.getObject(i, LocalDate.class);

    public static final ValueReader TIME = (rs, i) -> rs.getObject(i, LocalTime.class);

    public static final ValueReader TIMESTAMP = (rs, i) -> rs.getObject(i, LocalDateTime.class);

    public static final ValueReader TIMESTAMP_TZ = (rs, i) -> {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        return v == null ? null : v.toInstant();
    };

    public static final ValueReader ARRAY_AS_JSON = (rs, i) -> {
        java.sql.Array array = rs.getArray(i);
        if (array == null) {
            return null;
        }
        try {
            return JsonArrays.toJson(array.getArray(), array.getBaseTypeName());
        } finally {
            array.free();
        }
    };

    /**
     * A decimal of any precision delivered as DECIMAL(precision, scale): exact when it fits, else
     * {@link ValueReader#UNREPRESENTABLE} (never rounded).
     */
    public static ValueReader decimalFitting(int precision, int scale) {
        return (rs, i) -> fit(rs.getBigDecimal(i), precision, scale);
    }

    /** {@code value} at {@code scale} within {@code precision} digits, null for null, UNREPRESENTABLE when it would round or overflow. */
    public static Object fit(BigDecimal value, int precision, int scale) {
        if (value == null) {
            return null;
        }
        BigDecimal scaled;
        try {
            scaled = value.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException rounding) {
            return ValueReader.UNREPRESENTABLE;
        }
        return scaled.precision() > precision ? ValueReader.UNREPRESENTABLE : scaled;
    }
}
