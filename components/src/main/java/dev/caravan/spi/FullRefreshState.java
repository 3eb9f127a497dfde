package dev.caravan.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the platform wraps the state of a full refresh stream with a primary key, as a destination sees it in
 * {@link WriteRequest#startState()} (a destination uses it to tell whether a full refresh publishes per checkpoint and
 * whether it continues an interrupted run): how many of its full refreshes completed and, while one is in progress, the
 * source's keyset checkpoint that run has made durable. Stored as
 * {@code {"full_refresh": {"completed_runs": n, "after": {...}}}} so that it is never taken for an incremental position.
 *
 * <p>The run count makes the position "start of run n+1" differ from the position "start of run n": files a crashed
 * run published before its first checkpoint was committed are taken back by the next run (same start), while the
 * files of a completed run are not (the next run starts at a higher count).
 */
public final class FullRefreshState {
    static final String KEY = "full_refresh";
    private static final String COMPLETED = "completed_runs";
    private static final String AFTER = "after";

    private FullRefreshState() {
    }

    /** Whether {@code state} was written by a full refresh (an incremental sync then starts from the beginning). */
    public static boolean isFullRefresh(Map<String, Object> state) {
        return state.get(KEY) instanceof Map<?, ?>;
    }

    /** The source checkpoint an interrupted run made durable; empty when the last run completed or none ran. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> resumeAfter(Map<String, Object> state) {
        if (state.get(KEY) instanceof Map<?, ?> inner && inner.get(AFTER) instanceof Map<?, ?> after) {
            return (Map<String, Object>) after;
        }
        return Map.of();
    }

    public static long completedRuns(Map<String, Object> state) {
        if (state.get(KEY) instanceof Map<?, ?> inner && inner.get(COMPLETED) instanceof Number runs) {
            return runs.longValue();
        }
        return 0;
    }

    /** The state of a run after {@code completedRuns} completed ones that has made rows up to {@code after} durable. */
    public static Map<String, Object> inProgress(long completedRuns, Map<String, Object> after) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put(COMPLETED, completedRuns);
        if (!after.isEmpty()) {
            inner.put(AFTER, after);
        }
        return Map.of(KEY, inner);
    }
}
