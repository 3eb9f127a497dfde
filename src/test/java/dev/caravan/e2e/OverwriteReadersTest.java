package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingS3;
import dev.caravan.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Readers of full_refresh_overwrite streams during repeated overwrite syncs, on a local lake and on S3 (S3Proxy): a
 * reader thread loops, as fast as it can, over the three documented ways to read the stream, and every read must see
 * exactly one generation, whole (row count, one {@code _airbyte_generation_id}, the generation the pointer or manifest
 * named), with no file missing:
 * <ul>
 * <li>glob: {@code current.json} names the generation, DuckDB globs {@code raw/.../generation=G/**}{@code /*.parquet};</li>
 * <li>manifest: the newest job manifest's {@code generationFiles}, read as a file list;</li>
 * <li>Spark style: the stream directory read with {@code hive_partitioning}, {@code WHERE generation = G}.</li>
 * </ul>
 * One stream has a primary key (its files are published as they are written, before the pointer names them), one has none
 * (its files are published at the end). S3 objects are downloaded before DuckDB reads them (no httpfs offline): a key
 * listed but gone when fetched is a missing file.
 */
class OverwriteReadersTest {
    private static final int ROWS = 30_000;
    private static final int SYNCS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STREAMS = List.of("keyed/users", "plain/users");

    @TempDir
    Path home;

    @ParameterizedTest(name = "lake on {0}")
    @ValueSource(strings = {"local", "s3"})
    void everyReadSeesExactlyOneWholeGenerationDuringRepeatedOverwrites(String storage) throws Exception {
        try (TestingS3 s3 = storage.equals("s3") ? new TestingS3() : null;
             TestingServer testing = new TestingServer(home)) {
            String destination;
            Lake lake;
            if (s3 != null) {
                s3.createBucket("lake");
                destination = "{name: lake, connector: s3, config: " + s3.destinationConfig("lake", "bucket_prefix: wh, file_size_mb: 1") + "}";
                lake = new S3Lake(s3, home.resolve("downloads"));
            } else {
                destination = "{name: lake, connector: local, config: {path: \"" + home.resolve("lake") + "\", file_size_mb: 1}}";
                lake = new LocalLake(home.resolve("lake"));
            }
            testing.server().apply("""
                    sources:
                      - {name: faker, connector: faker, config: {seed: 3, count: %d}}
                    destinations:
                      - %s
                    connections:
                      - name: keyed
                        source: faker
                        destination: lake
                        namespace: keyed
                        streams: [{name: users, sync_mode: full_refresh_overwrite, primary_key: [id]}]
                      - name: plain
                        source: faker
                        destination: lake
                        namespace: plain
                        streams: [{name: users, sync_mode: full_refresh_overwrite}]
                    """.formatted(ROWS, destination), "readers.yaml");
            sync(testing, "keyed");
            sync(testing, "plain");

            Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
            List<String> wrong = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                try (ParquetQuery duck = new ParquetQuery()) {
                    while (!stop.get()) {
                        for (String stream : STREAMS) {
                            for (ReadWay way : ReadWay.values()) {
                                try {
                                    String seen = way.read(lake, duck, stream);
                                    if (seen != null) {
                                        wrong.add(way + " " + stream + ": " + seen);
                                    }
                                    reads.computeIfAbsent(way.name(), k -> new AtomicInteger()).incrementAndGet();
                                } catch (IOException | RuntimeException e) {
                                    wrong.add(way + " " + stream + " failed: " + e);
                                }
                            }
                        }
                    }
                }
            }, "overwrite-reader");
            reader.start();
            try {
                for (int i = 0; i < SYNCS; i++) {
                    sync(testing, "keyed");
                    sync(testing, "plain");
                }
            } finally {
                stop.set(true);
                reader.join(60_000);
            }
            System.out.printf("overwrite readers on %s: %s reads during %d syncs of each stream%n", storage, reads, SYNCS);
            assertThat(wrong).as("reads that saw something else than one whole generation").isEmpty();
            assertThat(reads.keySet()).containsExactlyInAnyOrder("GLOB", "MANIFEST", "HIVE");
            assertThat(reads.values()).allSatisfy(n -> assertThat(n.get()).as("reads per way").isGreaterThanOrEqualTo(SYNCS));

            // afterwards: the pointer names the last generation; replaced ones stay for the grace period (60 minutes)
            for (String stream : STREAMS) {
                JsonNode pointer = JSON.readTree(lake.read("_airbyte_internal/state/" + stream + "/current.json"));
                assertThat(pointer.get("generation").asLong()).isEqualTo(SYNCS + 1);
                assertThat(pointer.get("retired")).hasSize(SYNCS);
                assertThat(lake.list("raw/" + stream + "/")).as("every generation is in its own directory")
                        .allMatch(k -> k.matches("raw/" + stream + "/generation=\\d+/\\d{4}/\\d{2}/\\d{2}/data-\\d{3}\\.parquet"));
            }
        }
    }

    private static void sync(TestingServer testing, String connection) {
        JobRecord job = testing.server().syncNow(connection).orElseThrow();
        assertThat(job.status()).as("job %s of %s: %s", job.id(), connection, job.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.records()).isEqualTo(ROWS);
    }

    /** The three documented ways to read an overwrite stream; {@link #read} returns null when it saw one whole generation. */
    enum ReadWay {
        GLOB {
            @Override
            String read(Lake lake, ParquetQuery duck, String stream) throws IOException {
                long generation = JSON.readTree(lake.read("_airbyte_internal/state/" + stream + "/current.json")).get("generation").asLong();
                Path local = lake.localCopy(lake.list("raw/" + stream + "/generation=" + generation + "/"));
                return check(duck, "read_parquet('" + local.resolve("raw/" + stream + "/generation=" + generation) + "/**/*.parquet')", generation);
            }
        },
        MANIFEST {
            @Override
            String read(Lake lake, ParquetQuery duck, String stream) throws IOException {
                // S3Proxy's file system backend lists its temporary files (job-7-<uuid>.json) while it writes an object
                String newest = lake.list("_airbyte_internal/state/" + stream + "/jobs/").stream().filter(k -> k.matches(".*/job-\\d+\\.json"))
                        .max(java.util.Comparator.comparingLong(k -> Long.parseLong(k.replaceAll(".*job-(\\d+)\\.json", "$1")))).orElseThrow();
                JsonNode manifest = JSON.readTree(lake.read(newest));
                List<String> files = new ArrayList<>();
                manifest.get("generationFiles").forEach(f -> files.add(f.asText()));
                Path local = lake.localCopy(files);
                String list = String.join(", ", files.stream().map(f -> "'" + local.resolve(f) + "'").toList());
                return check(duck, "read_parquet([" + list + "])", manifest.get("generationId").asLong());
            }
        },
        HIVE {
            @Override
            String read(Lake lake, ParquetQuery duck, String stream) throws IOException {
                long generation = JSON.readTree(lake.read("_airbyte_internal/state/" + stream + "/current.json")).get("generation").asLong();
                Path local = lake.localCopy(lake.list("raw/" + stream + "/"));
                return check(duck, "read_parquet('" + local.resolve("raw/" + stream) + "/*/*/*/*/*.parquet', hive_partitioning = true)"
                        + " WHERE generation = " + generation, generation);
            }
        };

        abstract String read(Lake lake, ParquetQuery duck, String stream) throws IOException;

        private static String check(ParquetQuery duck, String from, long generation) {
            Map<String, Object> seen = duck.rows("SELECT count(*) AS n, count(DISTINCT id) AS ids, count(DISTINCT _airbyte_generation_id) AS g,"
                    + " min(_airbyte_generation_id) AS gen FROM " + from).get(0);
            boolean whole = ((Number) seen.get("n")).longValue() == ROWS && ((Number) seen.get("ids")).longValue() == ROWS
                    && ((Number) seen.get("g")).longValue() == 1 && ((Number) seen.get("gen")).longValue() == generation;
            return whole ? null : seen + " (expected " + ROWS + " rows of generation " + generation + ")";
        }
    }

    /** A lake as a reader sees it: keys relative to the lake root. */
    interface Lake {
        byte[] read(String key) throws IOException;

        List<String> list(String prefix) throws IOException;

        /** A local directory holding {@code keys} at their key paths; fails when one of them is gone. */
        Path localCopy(List<String> keys) throws IOException;
    }

    record LocalLake(Path root) implements Lake {
        @Override
        public byte[] read(String key) throws IOException {
            return Files.readAllBytes(root.resolve(key));
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            Path dir = root.resolve(prefix);
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).sorted().toList();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        @Override
        public Path localCopy(List<String> keys) throws IOException {
            for (String key : keys) {
                if (!Files.isRegularFile(root.resolve(key))) {
                    throw new IOException("missing file " + key);
                }
            }
            return root;
        }
    }

    record S3Lake(TestingS3 s3, Path downloads) implements Lake {
        private static final String ROOT = "wh/";
        private static final AtomicInteger COPIES = new AtomicInteger();

        @Override
        public byte[] read(String key) {
            return s3.read("lake", ROOT + key);
        }

        /** Without the temporary files S3Proxy's file system backend lists while it writes an object (AWS S3 has none). */
        @Override
        public List<String> list(String prefix) {
            return s3.keys("lake", ROOT + prefix).stream().map(k -> k.substring(ROOT.length()))
                    .filter(k -> k.endsWith(".parquet") || k.matches(".*/job-\\d+\\.json") || k.endsWith("/current.json")).toList();
        }

        @Override
        public Path localCopy(List<String> keys) throws IOException {
            Path copy = downloads.resolve("copy-" + COPIES.incrementAndGet());
            for (String key : keys) {
                Path file = copy.resolve(key);
                Files.createDirectories(file.getParent());
                Files.write(file, read(key));
            }
            return copy;
        }
    }
}
