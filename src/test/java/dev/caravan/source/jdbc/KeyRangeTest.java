package dev.caravan.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Range planning of split reads: equal widths, every key covered once, negative and extreme keys, fewer keys than ranges. */
class KeyRangeTest {

    @Test
    void equalWidthRangesCoverEveryKeyOpenAtBothEnds() {
        List<KeyRange> ranges = KeyRange.plan(1, 1000, 4);
        assertThat(ranges).containsExactly(new KeyRange(0, 4, null, 251L), new KeyRange(1, 4, 251L, 501L), new KeyRange(2, 4, 501L, 751L),
                new KeyRange(3, 4, 751L, null));
        assertCoversOnce(ranges, -5000, 5000);
    }

    @Test
    void negativeKeysAndTheWholeLongRangeSplitWithoutOverflow() {
        assertThat(KeyRange.plan(-100, 99, 2)).containsExactly(new KeyRange(0, 2, null, 0L), new KeyRange(1, 2, 0L, null));
        List<KeyRange> all = KeyRange.plan(Long.MIN_VALUE, Long.MAX_VALUE, 4);
        assertThat(all).extracting(KeyRange::from).containsExactly(null, Long.MIN_VALUE / 2, 0L, Long.MAX_VALUE / 2 + 1);
        List<KeyRange> top = KeyRange.plan(Long.MAX_VALUE - 2, Long.MAX_VALUE, 8);
        assertThat(top).hasSize(3);
        assertThat(top).extracting(KeyRange::from).containsExactly(null, Long.MAX_VALUE - 1, Long.MAX_VALUE);
    }

    @Test
    void fewerKeysThanRangesGiveOneRangePerKeyAndOneKeyOneRange() {
        List<KeyRange> three = KeyRange.plan(10, 12, 8);
        assertThat(three).containsExactly(new KeyRange(0, 3, null, 11L), new KeyRange(1, 3, 11L, 12L), new KeyRange(2, 3, 12L, null));
        assertThat(KeyRange.plan(42, 42, 4)).containsExactly(new KeyRange(0, 1, null, null));
        assertCoversOnce(KeyRange.plan(-7, 1_000_003, 7), -20, 20);
        assertCoversOnce(KeyRange.plan(-7, 1_000_003, 7), 999_990, 1_000_010);
    }

    @Test
    void labelsNameTheRangeAndItsKeys() {
        assertThat(new KeyRange(1, 4, 251L, 501L).label("id")).isEqualTo("range 2/4 (id from 251 below 501)");
        assertThat(new KeyRange(0, 4, null, 251L).label("id")).isEqualTo("range 1/4 (id below 251)");
    }

    private static void assertCoversOnce(List<KeyRange> ranges, long first, long last) {
        for (long key = first; key <= last; key++) {
            long k = key;
            assertThat(ranges.stream().filter(r -> (r.from() == null || k >= r.from()) && (r.to() == null || k < r.to())).count())
                    .as("ranges holding key %d", key).isEqualTo(1);
        }
    }
}
