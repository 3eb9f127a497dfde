package dev.caravan.source.jdbc;

import dev.caravan.spi.CaravanException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of a split read ({@link SplitRead}), a JSON map:
 * <pre>{@code {"key": "id", "ranges": [{"to": 250, "pk": [120]}, {"from": 250, "to": 500, "done": true}, {"from": 500}]}}</pre>
 * Each range lists its bounds (from inclusive, to exclusive; the first has no lower and the last no upper bound, so the
 * ranges cover every key) and the position reached in it: {@code pk} (the last key read, as a single read's state has
 * it), {@code done}, or neither (nothing read yet). A resumed read keeps the ranges it started with and continues each
 * after its own position, whatever the split setting is now.
 */
final class SplitState {
    private static final Logger LOG = LoggerFactory.getLogger(SplitState.class);
    static final String KEY = "key";
    static final String RANGES = "ranges";
    static final String FROM = "from";
    static final String TO = "to";
    static final String DONE_FLAG = "done";
    /** The position of a range read to its end. */
    static final Object DONE = new Object() {
        @Override
        public String toString() {
            return "done";
        }
    };
    /** The position of a range not read yet. */
    static final Object START = new Object() {
        @Override
        public String toString() {
            return "start";
        }
    };

    private SplitState() {
    }

    /** The ranges of a split read and the position in each: {@link #START}, {@link #DONE} or the last key read (a Long). */
    record Plan(String stream, String key, List<KeyRange> ranges, List<Object> positions) {
        Plan {
            ranges = List.copyOf(ranges);
            positions = List.copyOf(positions);
        }
    }

    /** Whether {@code state} was written by a split read. */
    static boolean isSplit(Map<String, Object> state) {
        return state.containsKey(RANGES);
    }

    /** The plan a split read's state records; a CONFIG error naming the fix when it does not fit the stream any more. */
    static Plan resumed(Map<String, Object> state, ReadQuery query) {
        String stream = query.table.streamName();
        String fix = " Fix: reset the stream's state to read it from the start.";
        if (!query.splittable() || !query.keys.get(0).equals(state.get(KEY))) {
            throw CaravanException.config("The saved state of stream '" + stream + "' comes from a read split on key '" + state.get(KEY)
                    + "', but the stream is now read " + (query.splittable() ? "in order of key '" + query.keys.get(0) + "'"
                    : "with primary key " + query.keys + ", which cannot be split") + "." + fix);
        }
        List<KeyRange> ranges = new ArrayList<>();
        List<Object> positions = new ArrayList<>();
        if (state.get(RANGES) instanceof List<?> listed && !listed.isEmpty()) {
            for (Object item : listed) {
                if (!(item instanceof Map<?, ?> range)) {
                    ranges = null;
                    break;
                }
                Long from = range.get(FROM) instanceof Number n ? n.longValue() : null;
                Long to = range.get(TO) instanceof Number n ? n.longValue() : null;
                Object previousTo = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1).to();
                boolean joined = ranges.isEmpty() ? from == null && !range.containsKey(FROM) : from != null && from.equals(previousTo);
                Object position = Boolean.TRUE.equals(range.get(DONE_FLAG)) ? DONE
                        : range.get(ReadQuery.PK) instanceof List<?> pk && pk.size() == 1 && pk.get(0) instanceof Number n ? (Object) n.longValue()
                        : range.containsKey(ReadQuery.PK) ? null : START;
                if (!joined || position == null || (range.containsKey(TO) && to == null)) {
                    ranges = null;
                    break;
                }
                ranges.add(new KeyRange(ranges.size(), listed.size(), from, to));
                positions.add(position);
            }
        } else {
            ranges = null;
        }
        if (ranges == null || ranges.get(ranges.size() - 1).to() != null) {
            throw CaravanException.config("The saved state of stream '" + stream + "' has ranges " + state.get(RANGES)
                    + ", which are not key ranges following each other from the lowest to the highest key." + fix);
        }
        LOG.info("Stream {}: resuming a split read of {} in {} ranges at {}", stream, query.keys.get(0), ranges.size(), positions);
        return new Plan(stream, query.keys.get(0), ranges, positions);
    }

    /** The position of a range after one of its batches with {@code checkpoint} (a single read's {@code {"pk": [k]}}). */
    static Object position(Map<String, Object> checkpoint, Object before) {
        return checkpoint.get(ReadQuery.PK) instanceof List<?> pk && !pk.isEmpty() && pk.get(0) instanceof Number n ? (Object) n.longValue() : before;
    }

    /** The state of a split read at these positions (see the class comment). */
    static Map<String, Object> checkpoint(Plan plan, Object[] positions) {
        List<Map<String, Object>> ranges = new ArrayList<>(positions.length);
        for (KeyRange range : plan.ranges()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            if (range.from() != null) {
                entry.put(FROM, range.from());
            }
            if (range.to() != null) {
                entry.put(TO, range.to());
            }
            Object position = positions[range.index()];
            if (position == DONE) {
                entry.put(DONE_FLAG, true);
            } else if (position instanceof Long after) {
                entry.put(ReadQuery.PK, List.of(after));
            }
            ranges.add(entry);
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(KEY, plan.key());
        state.put(RANGES, ranges);
        return state;
    }
}
