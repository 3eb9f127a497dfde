package dev.caravan.jobs;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStreamRecord;
import dev.caravan.sync.ReplayBounds;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a replay of a past job reads, per stream: from the state the job first read it at, as many records as all its
 * attempts delivered.
 */
final class ReplayPlan {
    private ReplayPlan() {
    }

    /** The bounds of each stream the job delivered records of; a CONFIG error when it delivered none. */
    static Map<String, ReplayBounds> of(JobRecord original) {
        Map<String, ReplayBounds> bounds = new LinkedHashMap<>();
        for (JobStreamRecord stream : original.streams()) {
            ReplayBounds first = bounds.get(stream.stream());
            bounds.put(stream.stream(), first == null ? new ReplayBounds(stream.startState(), stream.records())
                    : new ReplayBounds(first.startState(), first.records() + stream.records()));
        }
        // A stream that delivered nothing has nothing to replay.
        bounds.values().removeIf(b -> b.records() == 0);
        if (bounds.isEmpty()) {
            throw new CaravanException(ErrorType.CONFIG, "Job " + original.id() + " synced no stream (status "
                    + original.status().name().toLowerCase() + "); there is nothing to replay");
        }
        return bounds;
    }
}
