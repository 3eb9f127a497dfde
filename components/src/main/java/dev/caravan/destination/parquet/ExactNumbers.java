package dev.caravan.destination.parquet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Exact numeric conversions: a value that would be rounded or truncated is rejected, never altered. */
final class ExactNumbers {
    private static final double TWO_POW_63 = 0x1p63;
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private ExactNumbers() {
    }

    static boolean isExactLong(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return true;
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return d == Math.rint(d) && d >= -TWO_POW_63 && d < TWO_POW_63;
        }
        BigDecimal d = toBigDecimal(n);
        return d != null && d.compareTo(LONG_MIN) >= 0 && d.compareTo(LONG_MAX) <= 0
                && (d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0);
    }

    /** The value of a number {@link #isExactLong} accepted. */
    static long toLong(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof Double || n instanceof Float) {
            return n.longValue();
        }
        return toBigDecimal(n).longValue();
    }

    /** The value at exactly {@code scale} within {@code precision} digits, or null when that would round or overflow. */
    static BigDecimal toScale(Object v, int precision, int scale) {
        BigDecimal decimal = toBigDecimal(v);
        if (decimal == null) {
            return null;
        }
        BigDecimal scaled;
        try {
            scaled = decimal.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            return null;
        }
        return scaled.precision() <= precision ? scaled : null;
    }

    private static BigDecimal toBigDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null;
        }
        if (v instanceof Number n) {
            try {
                return new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The fewest bytes of a two's-complement integer that holds every unscaled value of {@code precision} digits. */
    static int bytesForPrecision(int precision) {
        BigInteger largest = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
        return largest.bitLength() / 8 + 1;
    }
}
