package dev.caravan.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.StateDatabase;
import dev.caravan.state.StreamStateRepository;
import dev.caravan.sync.StreamState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** caravan.retention.state-history-days against the embedded store (StateRepositoryTest prunes on PostgreSQL too). */
class StateHistoryRetentionTest {
    @TempDir
    Path temp;

    @Test
    void historyOlderThanTheRetentionGoesAtMostHourlyAndRecentHistoryStays() throws Exception {
        try (StateDatabase db = StateDatabase.open("jdbc:h2:file:" + temp.resolve("retention"), "", "")) {
            StreamStateRepository states = new StreamStateRepository(db.dataSource());
            for (long id = 1; id <= 3; id++) {
                states.commit("demo", "users", new StreamState(Map.of("id", id), 0), id);
            }
            Instant now = Instant.now();
            // the first two checkpoints were committed 40 and 31 days ago
            age(db, Map.of(1L, now.minusSeconds(40 * 86_400L), 2L, now.minusSeconds(31 * 86_400L)));
            MutableClock clock = new MutableClock(now);
            StateHistoryRetention retention = new StateHistoryRetention(states, 30, clock);

            assertThat(retention.pruneIfDue()).isEqualTo(2);
            assertThat(states.history("demo", "users")).extracting(s -> s.state().get("id")).containsExactly(3L);
            assertThat(states.load("demo", "users")).get().extracting(s -> s.state().get("id")).isEqualTo(3L);

            states.commit("demo", "users", new StreamState(Map.of("id", 4L), 0), 4);
            age(db, Map.of(4L, now.minusSeconds(60 * 86_400L)));
            assertThat(retention.pruneIfDue()).as("pruned less than an hour ago").isZero();
            clock.now = now.plusSeconds(3_601);
            assertThat(retention.pruneIfDue()).isEqualTo(1);
            assertThat(states.history("demo", "users")).extracting(s -> s.state().get("id")).containsExactly(3L);

            assertThat(new StateHistoryRetention(states, 0, Clock.systemUTC()).pruneIfDue()).as("0 days keeps everything").isZero();
        }
    }

    private static void age(StateDatabase db, Map<Long, Instant> committedAtByJob) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE caravan_stream_state_history SET committed_at = ? WHERE job_id = ?")) {
            for (Map.Entry<Long, Instant> e : committedAtByJob.entrySet()) {
                update.setObject(1, e.getValue().atOffset(ZoneOffset.UTC));
                update.setLong(2, e.getKey());
                update.executeUpdate();
            }
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
