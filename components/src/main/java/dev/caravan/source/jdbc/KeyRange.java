package dev.caravan.source.jdbc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the ranges of a split read: the keys from {@code from} (inclusive; null: no lower bound) to {@code to}
 * (exclusive; null: no upper bound). The ranges of a plan cover every key, so a row added below the first key or above
 * the last one while the read runs still falls in one range (the first or the last).
 */
record KeyRange(int index, int count, Long from, Long to) {

    /**
     * {@code count} ranges of equal width over the keys {@code min} to {@code max}, the first open below, the last open
     * above; fewer when there are fewer keys than ranges (one when {@code min == max}). Widths are computed without
     * overflow, so keys anywhere in the range of a long (negative ones included) split evenly.
     */
    static List<KeyRange> plan(long min, long max, int count) {
        if (min > max || count < 1) {
            throw new IllegalArgumentException("no range from " + min + " to " + max + " in " + count);
        }
        BigInteger low = BigInteger.valueOf(min);
        BigInteger width = BigInteger.valueOf(max).subtract(low).add(BigInteger.ONE);
        List<Long> bounds = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            long bound = low.add(width.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(count))).longValueExact();
            if (bound > min && (bounds.isEmpty() || bound > bounds.get(bounds.size() - 1))) {
                bounds.add(bound);
            }
        }
        List<KeyRange> ranges = new ArrayList<>(bounds.size() + 1);
        for (int i = 0; i <= bounds.size(); i++) {
            ranges.add(new KeyRange(i, bounds.size() + 1, i == 0 ? null : bounds.get(i - 1), i == bounds.size() ? null : bounds.get(i)));
        }
        return ranges;
    }

    /** e.g. {@code range 2/4 (id from 250 to 500)}. */
    String label(String key) {
        return "range " + (index + 1) + "/" + count + " (" + key + (from == null ? "" : " from " + from) + (to == null ? "" : " below " + to)
                + (from == null && to == null ? " all" : "") + ")";
    }
}
