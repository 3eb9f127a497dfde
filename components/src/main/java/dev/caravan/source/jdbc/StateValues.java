package dev.caravan.source.jdbc;

import java.math.BigInteger;

/** State values as {@link KeyCodec#read} produces them, whatever number classes a state store handed back. */
final class StateValues {
    private StateValues() {
    }

    /** Whole numbers as Long (JSON parsers return Integer for small ones), anything else unchanged. */
    static Object normalized(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger big && big.bitLength() < 64) {
            return ((Number) value).longValue();
        }
        return value;
    }
}
