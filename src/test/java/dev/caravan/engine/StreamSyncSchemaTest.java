package dev.caravan.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.destination.parquet.LocalParquetDestination;
import dev.caravan.source.faker.FakerSource;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.Field;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import dev.caravan.sync.ConnectorResolver;
import dev.caravan.sync.OutputGuard;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.SchemaPolicy;
import dev.caravan.sync.StreamSchema;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema change detection in the sync loop, without Camel: one discover per job for all its streams, the baseline
 * recorded after a sync, a column the source's catalog no longer lists written as null, and a failing discover.
 */
class StreamSyncSchemaTest {
    private final ExecutorService readAhead = Executors.newSingleThreadExecutor();
    private final Map<String, StreamState> committed = new ConcurrentHashMap<>();
    private final Map<String, StreamSchema> schemas = new ConcurrentHashMap<>();
    private final StreamStateStore states = new StreamStateStore() {
        @Override
        public Optional<StreamState> load(String connection, String stream) {
            return Optional.ofNullable(committed.get(stream));
        }

        @Override
        public void commit(String connection, String stream, StreamState state, long jobId) {
            committed.put(stream, state);
        }

        @Override
        public Optional<StreamSchema> schema(String connection, String stream) {
            return Optional.ofNullable(schemas.get(stream));
        }

        @Override
        public void saveSchema(String connection, String stream, StreamSchema schema) {
            schemas.put(stream, schema);
        }
    };
    /** The faker, whose discover counts its calls, can fail, and can leave a column of users out (as if it was dropped). */
    private final AtomicInteger discovers = new AtomicInteger();
    private volatile boolean discoverFails;
    private volatile String droppedColumn;
    private final FakerSource faker = new FakerSource();
    private final SourceConnector source = new SourceConnector() {
        @Override
        public ConnectorSpec spec() {
            return faker.spec();
        }

        @Override
        public CheckResult check(ConnectorConfig config) {
            return faker.check(config);
        }

        @Override
        public Catalog discover(ConnectorConfig config) {
            discovers.incrementAndGet();
            if (discoverFails) {
                throw new CaravanException(ErrorType.TRANSIENT, "the catalog query timed out");
            }
            Catalog catalog = faker.discover(config);
            if (droppedColumn == null) {
                return catalog;
            }
            return new Catalog(catalog.streams().stream().map(s -> !s.name().equals("users") ? s : new CatalogStream(s.name(),
                    new Schema(s.schema().fields().stream().filter(f -> !f.name().equals(droppedColumn)).toList()), s.supportedSyncModes(),
                    s.primaryKey(), s.cursorCandidates(), s.defaultCursorField())).toList());
        }

        @Override
        public StreamReader read(ConnectorConfig config, ReadRequest request) {
            if (droppedColumn != null && request.stream().equals("users")) {
                // the column is gone from the source: it cannot be read any more
                List<String> fields = request.fields().isEmpty() ? faker.discover(config).stream("users").orElseThrow().schema().names()
                        : request.fields();
                assertThat(fields).contains(droppedColumn);
                request = new ReadRequest(request.stream(), fields.stream().filter(f -> !f.equals(droppedColumn)).toList(), request.syncMode(),
                        request.cursorField(), request.primaryKey(), request.state(), request.batchSize());
            }
            return faker.read(config, request);
        }
    };

    @TempDir
    Path home;

    @AfterEach
    void stop() {
        readAhead.shutdownNow();
    }

    private ConnectorResolver connectors() {
        LocalParquetDestination local = new LocalParquetDestination();
        return new ConnectorResolver() {
            @Override
            public ResolvedSource source(String name) {
                return new ResolvedSource(name, source, faker.spec().validate(Map.of("count", 50), ""), "test");
            }

            @Override
            public ResolvedDestination destination(String name) {
                return new ResolvedDestination(name, local, local.spec().validate(Map.of("path", home.resolve("lake").toString()), ""), "test");
            }
        };
    }

    private BatchRoute toLake() {
        DestinationStep step = new DestinationStep(connectors(), OutputGuard.ANY, "lake", "engine", "", "lake");
        return new BatchRoute() {
            @Override
            public void deliver(SyncSession session, RecordBatch batch, long index) {
                step.write(session, batch);
            }

            @Override
            public boolean running() {
                return true;
            }
        };
    }

    private static StreamPlan plan(String stream) {
        return new StreamPlan("demo", stream, "faker", SyncMode.FULL_REFRESH_APPEND, List.of(), null, List.of(), 100, SchemaPolicy.DEFAULT, false);
    }

    @Test
    void oneDiscoverPerJobABaselineAfterTheSyncAndADroppedColumnWrittenAsNull() throws Exception {
        StreamSync engine = new StreamSync(connectors(), states, readAhead);
        SyncJob first = new SyncJob(1, 1, "demo", "test", Instant.now());
        assertThat(engine.run(first, plan("users"), toLake()).succeeded()).isTrue();
        assertThat(engine.run(first, plan("products"), toLake()).succeeded()).isTrue();
        assertThat(discovers).as("one discover for the job's two streams").hasValue(1);
        assertThat(schemas.get("users").fields()).extracting(Field::name).contains("id", "name", "updated_at");
        assertThat(schemas.get("users").removed()).isEmpty();

        droppedColumn = "name";
        StreamSyncResult second = engine.run(new SyncJob(2, 1, "demo", "test", Instant.now()), plan("users"), toLake());
        assertThat(second.succeeded()).as(second.error()).isTrue();
        assertThat(discovers).hasValue(2);
        assertThat(second.schemaChanges()).extracting(SchemaChange::kind, SchemaChange::column, SchemaChange::action)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SchemaChange.Kind.COLUMN_REMOVED, "name", SchemaChange.Action.APPLIED));
        assertThat(second.warnings()).anyMatch(w -> w.contains("COLUMN_REMOVED name"));
        assertThat(schemas.get("users").removed()).containsExactly("name");
        try (ParquetQuery duck = new ParquetQuery()) {
            String files = "read_parquet('" + home.resolve("lake/raw/engine/users") + "/**/*.parquet', union_by_name = true)";
            assertThat(duck.count("SELECT count(*) FROM " + files + " WHERE name IS NULL")).as("the second sync's rows").isEqualTo(50);
            assertThat(duck.count("SELECT count(*) FROM " + files + " WHERE name IS NOT NULL")).as("the first sync's rows").isEqualTo(50);
        }
        // a third sync still writes the column as null, without reporting it again
        StreamSyncResult third = engine.run(new SyncJob(3, 1, "demo", "test", Instant.now()), plan("users"), toLake());
        assertThat(third.schemaChanges()).isEmpty();
        assertThat(schemas.get("users").removed()).containsExactly("name");
    }

    @Test
    void aFailingDiscoverFailsAStreamWithABaselineAndOnlyWarnsBeforeTheFirstBaseline() {
        StreamSync engine = new StreamSync(connectors(), states, readAhead);
        discoverFails = true;
        StreamSyncResult first = engine.run(new SyncJob(1, 1, "demo", "test", Instant.now()), plan("users"), toLake());
        assertThat(first.succeeded()).isTrue();
        assertThat(first.warnings()).anyMatch(w -> w.contains("Schema change detection starts at a later sync"));
        assertThat(schemas).as("no baseline without a discover").isEmpty();

        discoverFails = false;
        assertThat(engine.run(new SyncJob(2, 1, "demo", "test", Instant.now()), plan("users"), toLake()).succeeded()).isTrue();
        assertThat(schemas).containsKey("users");

        discoverFails = true;
        Map<String, Object> before = committed.get("users").state();
        StreamSyncResult unchecked = engine.run(new SyncJob(3, 1, "demo", "test", Instant.now()), plan("users"), toLake());
        assertThat(unchecked.succeeded()).isFalse();
        assertThat(unchecked.errorType()).as("retried like a failed read").isEqualTo(ErrorType.TRANSIENT);
        assertThat(unchecked.error()).contains("schema change detection needs the source's catalog", "the catalog query timed out");
        assertThat(committed.get("users").state()).isEqualTo(before);
    }
}
