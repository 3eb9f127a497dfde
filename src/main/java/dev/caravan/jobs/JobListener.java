package dev.caravan.jobs;

import dev.caravan.state.JobRecord;
import dev.caravan.sync.StreamSyncResult;
import dev.caravan.sync.SyncJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/** Told about every job that ends (webhooks, metrics); must not throw. */
public interface JobListener {
    void jobEnded(JobRecord job);

    /** A job has started; {@code scheduledAt} is when its trigger was due (scheduled runs only, else null). */
    default void jobStarted(SyncJob job, Instant scheduledAt) {
    }

    /** One stream of a running job has ended, after {@code took}. */
    default void streamEnded(SyncJob job, StreamSyncResult result, Duration took) {
    }

    /** All of {@code listeners}, in order; one that throws is logged and does not stop the others. */
    static JobListener all(JobListener... listeners) {
        List<JobListener> all = List.of(listeners);
        return new JobListener() {
            @Override
            public void jobEnded(JobRecord job) {
                each(l -> l.jobEnded(job));
            }

            @Override
            public void jobStarted(SyncJob job, Instant scheduledAt) {
                each(l -> l.jobStarted(job, scheduledAt));
            }

            @Override
            public void streamEnded(SyncJob job, StreamSyncResult result, Duration took) {
                each(l -> l.streamEnded(job, result, took));
            }

            private void each(Consumer<JobListener> call) {
                for (JobListener listener : all) {
                    try {
                        call.accept(listener);
                    } catch (RuntimeException e) {
                        LoggerFactory.getLogger(JobListener.class).warn("Job listener {} failed: {}", listener.getClass().getSimpleName(), e.getMessage(), e);
                    }
                }
            }
        };
    }
}
