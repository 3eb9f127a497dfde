package dev.caravan.source.jdbc;

import java.math.BigDecimal;

/**
 * Decimal text as a database sends it ({@code -123.4500}: an optional minus, digits, an optional point and digits, in
 * ASCII) read straight from its bytes into the BigDecimal {@code new BigDecimal(text)} makes — same unscaled value, same
 * scale — without a String or char array, when it has at most 18 digits (the unscaled value fits a long). Anything else
 * (more digits, exponents, NaN, Infinity, not text at all) is left to the caller's general path: {@link #parse} returns null.
 */
public final class DecimalText {
    private static final int MAX_DIGITS = 18;
    /** A sign, 18 digits and a point. */
    private static final int MAX_LENGTH = MAX_DIGITS + 2;

    private DecimalText() {
    }

    /** The decimal {@code text} spells, or null when it is not of the simple form above. */
    public static BigDecimal parse(byte[] text) {
        int length = text.length;
        if (length == 0 || length > MAX_LENGTH) {
            return null;
        }
        int i = 0;
        boolean negative = text[0] == '-';
        if (negative) {
            i = 1;
        }
        long unscaled = 0;
        int digits = 0;
        int scale = -1;
        for (; i < length; i++) {
            int c = text[i];
            if (c >= '0' && c <= '9') {
                unscaled = unscaled * 10 + (c - '0');
                digits++;
                if (scale >= 0) {
                    scale++;
                }
            } else if (c == '.' && scale < 0 && digits > 0) {
                scale = 0;
            } else {
                return null;
            }
        }
        if (digits == 0 || digits > MAX_DIGITS || scale == 0) {
            return null; // "-", or a point with no digit after it: not the database's form
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, Math.max(scale, 0));
    }
}
