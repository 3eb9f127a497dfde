package dev.caravan.spi;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a source may read one stream as several key ranges in parallel: {@link #AUTO} (the source decides, e.g. from
 * the stream's size), {@link #OFF}, or a number of ranges. Written {@code auto}, {@code off} or {@code 2} to
 * {@value #MAX_RANGES} in configuration files; a source that cannot split a stream reads it whole whatever is asked.
 */
public record SplitReads(int ranges) {
    public static final int MAX_RANGES = 8;
    public static final SplitReads AUTO = new SplitReads(0);
    public static final SplitReads OFF = new SplitReads(1);
    /** The fix named by a message about a bad value. */
    public static final String RULE = "use auto (split large tables), off, or a number of parallel ranges from 2 to " + MAX_RANGES;

    public SplitReads {
        if (ranges < 0 || ranges > MAX_RANGES) {
            throw new IllegalArgumentException("split_reads " + ranges + ": " + RULE);
        }
    }

    /** {@code auto}, {@code off}, or a whole number from 1 (= off) to {@value #MAX_RANGES}; empty for anything else. */
    public static Optional<SplitReads> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("auto")) {
            return Optional.of(AUTO);
        }
        if (value.equals("off")) {
            return Optional.of(OFF);
        }
        if (!value.matches("[0-9]{1,3}")) {
            return Optional.empty();
        }
        int ranges = Integer.parseInt(value);
        return ranges >= 1 && ranges <= MAX_RANGES ? Optional.of(new SplitReads(ranges)) : Optional.empty();
    }

    public boolean auto() {
        return ranges == 0;
    }

    public boolean off() {
        return ranges == 1;
    }

    /** The value as configuration files write it. */
    public String configValue() {
        return auto() ? "auto" : off() ? "off" : Integer.toString(ranges);
    }

    @Override
    public String toString() {
        return configValue();
    }
}
