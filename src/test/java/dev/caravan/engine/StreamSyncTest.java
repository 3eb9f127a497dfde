package dev.caravan.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.destination.parquet.LocalParquetDestination;
import dev.caravan.source.faker.FakerSource;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.SyncMode;
import dev.caravan.sync.ConnectorResolver;
import dev.caravan.sync.OutputGuard;
import dev.caravan.sync.StreamState;
import dev.caravan.sync.StreamStateStore;
import dev.caravan.sync.StreamSyncResult;
import dev.caravan.sync.SyncJob;
import dev.caravan.testing.ParquetQuery;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync loop driven without any CamelContext: faker → local Parquet through a {@link DestinationStep}, incremental
 * across syncs, a failing route that leaves the committed state alone, and a stopped route. DuckDB reads the output.
 */
class StreamSyncTest {
    private final ExecutorService readAhead = Executors.newSingleThreadExecutor();
    private final Map<String, StreamState> committed = new ConcurrentHashMap<>();
    private final StreamStateStore states = new StreamStateStore() {
        @Override
        public Optional<StreamState> load(String connection, String stream) {
            return Optional.ofNullable(committed.get(connection + "/" + stream));
        }

        @Override
        public void commit(String connection, String stream, StreamState state, long jobId) {
            committed.put(connection + "/" + stream, state);
        }
    };

    @TempDir
    Path home;

    @AfterEach
    void stop() {
        readAhead.shutdownNow();
    }

    private ConnectorResolver connectors(int count) {
        FakerSource faker = new FakerSource();
        LocalParquetDestination local = new LocalParquetDestination();
        return new ConnectorResolver() {
            @Override
            public ResolvedSource source(String name) {
                return new ResolvedSource(name, faker, faker.spec().validate(Map.of("count", count), ""), "test");
            }

            @Override
            public ResolvedDestination destination(String name) {
                return new ResolvedDestination(name, local, local.spec().validate(Map.of("path", home.resolve("lake").toString()), ""), "test");
            }
        };
    }

    /** A route that writes every batch to the lake, as a stream route with one caravan-parquet step does. */
    private static BatchRoute toLake(ConnectorResolver connectors, RuntimeException failAtSecondBatch) {
        DestinationStep step = new DestinationStep(connectors, OutputGuard.ANY, "lake", "engine", "", "lake");
        return new BatchRoute() {
            @Override
            public void deliver(SyncSession session, RecordBatch batch, long index) {
                if (index == 1 && failAtSecondBatch != null) {
                    throw failAtSecondBatch;
                }
                step.write(session, batch);
            }

            @Override
            public boolean running() {
                return true;
            }
        };
    }

    private static StreamPlan plan(SyncMode mode) {
        return new StreamPlan("demo", "users", "faker", mode, List.of(), "updated_at", List.of("id"), 100);
    }

    private static SyncJob job(long id) {
        return new SyncJob(id, 1, "demo", "test", Instant.now());
    }

    @Test
    void incrementalSyncsWriteEveryRowOnceAndCommitTheState() throws Exception {
        StreamSync engine = new StreamSync(connectors(250), states, readAhead);
        StreamSyncResult first = engine.run(job(1), plan(SyncMode.INCREMENTAL_APPEND), toLake(connectors(250), null));
        assertThat(first.succeeded()).as(first.error()).isTrue();
        assertThat(first.records()).isEqualTo(250);
        assertThat(first.connectors()).isEqualTo("faker test -> local test");
        assertThat(committed.get("demo/users").state()).isEqualTo(first.endState()).isNotEmpty();

        StreamSyncResult again = engine.run(job(2), plan(SyncMode.INCREMENTAL_APPEND), toLake(connectors(250), null));
        assertThat(again.records()).as("nothing new").isZero();
        try (ParquetQuery duck = new ParquetQuery()) {
            Path users = home.resolve("lake/raw/engine/users");
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(users))).isEqualTo(250);
            assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(users))).isEqualTo(250);
        }
    }

    @Test
    void aFailingRouteFailsTheStreamAndLeavesTheCommittedStateAlone() {
        StreamSync engine = new StreamSync(connectors(500), states, readAhead);
        StreamSyncResult failed = engine.run(job(1), plan(SyncMode.FULL_REFRESH_OVERWRITE),
                toLake(connectors(500), new IllegalStateException("step broke")));
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.errorType()).isEqualTo(ErrorType.SYSTEM);
        assertThat(failed.error()).contains("step broke");
        assertThat(committed).as("a full refresh commits nothing before its end").isEmpty();
    }

    @Test
    void aStoppedRouteStopsTheSyncAsATransientFailure() {
        StreamSync engine = new StreamSync(connectors(500), states, readAhead);
        BatchRoute stopped = new BatchRoute() {
            @Override
            public void deliver(SyncSession session, RecordBatch batch, long index) {
                throw new AssertionError("a stopped route gets no batch");
            }

            @Override
            public boolean running() {
                return false;
            }
        };
        StreamSyncResult result = engine.run(job(1), plan(SyncMode.INCREMENTAL_APPEND), stopped);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.errorType()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(result.error()).contains("route of stream users was stopped");
    }
}
