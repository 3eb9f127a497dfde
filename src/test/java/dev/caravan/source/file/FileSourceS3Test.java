package dev.caravan.source.file;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import dev.caravan.testing.TestingS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The files source on a real S3 server (S3Proxy): globs under prefixes, Parquet objects, objects replaced while read. */
class FileSourceS3Test {
    private static TestingS3 s3;
    private static String bucket;
    private final FileSource source = new FileSource();

    @TempDir
    Path scratch;

    @BeforeAll
    static void start() {
        s3 = new TestingS3();
        bucket = s3.createBucket("files-s3");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private ConnectorConfig config(String streams) {
        return source.spec().validate(Map.of("storage", "s3", "bucket", bucket, "endpoint", s3.endpoint().toString(), "path_style_access", true,
                "access_key_id", s3.accessKey(), "secret_access_key", s3.secretKey(), "streams", streams), "");
    }

    private static void put(String key, byte[] content) {
        s3.client().putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(content));
    }

    @Test
    void globsSelectObjectsUnderTheirPrefixAndParquetObjectsAreRead() throws Exception {
        put("a/x/1.csv", "id\n1\n".getBytes(StandardCharsets.UTF_8));
        put("a/y/2.csv", "id\n2\n".getBytes(StandardCharsets.UTF_8));
        put("a/3.txt", "id\n3\n".getBytes(StandardCharsets.UTF_8));
        put("b/4.csv", "id\n4\n".getBytes(StandardCharsets.UTF_8));
        Path parquet = FileFixtures.parquet(scratch, "p.parquet", "SELECT i AS id, 'v' || i AS v FROM range(5) t(i)", Instant.now());
        put("p/data.parquet", Files.readAllBytes(parquet));
        List<Object> ids = ids(config("- {name: s, globs: [\"a/**.csv\"], format: csv}"), Map.of());
        assertThat(ids).containsExactlyInAnyOrder(1L, 2L);
        assertThat(ids(config("- {name: s, globs: [\"p/*.parquet\"], format: parquet}"), Map.of())).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
        assertThat(source.check(config("- {name: s, globs: [\"none/*.csv\"], format: csv}")).message()).contains("no file").contains("s3://" + bucket);
    }

    @Test
    void anObjectReplacedAfterListingIsNotReadHalfOldHalfNew_andIsTakenNextTime() {
        put("r/1.csv", ("id\n" + "1\n".repeat(10)).getBytes(StandardCharsets.UTF_8));
        put("r/0.csv", "id\n0\n".getBytes(StandardCharsets.UTF_8));
        ConnectorConfig config = config("- {name: s, globs: [\"r/*.csv\"], format: csv}");
        Map<String, Object> state = Map.of();
        List<Object> first = new ArrayList<>();
        try (StreamReader reader = source.read(config, new ReadRequest("s", List.of(), SyncMode.INCREMENTAL_APPEND, FileSource.LAST_MODIFIED,
                List.of(), Map.of(), 100))) {
            put("r/1.csv", "id\n2\n".getBytes(StandardCharsets.UTF_8));
            RecordBatch batch;
            while ((batch = reader.next()) != null) {
                batch.rows().forEach(r -> first.add(r[0]));
                state = batch.checkpoint();
            }
            assertThat(reader.warnings()).singleElement().asString().contains("r/1.csv").contains("changed after it was listed");
        }
        assertThat(first).containsExactly(0L);
        assertThat(ids(config, state)).as("the next sync takes the new content, once").containsExactly(2L);
    }

    @Test
    void anUnreachableStoreFailsTheStreamAsTransientWithoutMarkingAnything() {
        put("u/1.csv", "id\n1\n".getBytes(StandardCharsets.UTF_8));
        ConnectorConfig config = config("- {name: s, globs: [\"u/*.csv\"], format: csv}");
        try (StreamReader reader = source.read(config, new ReadRequest("s", List.of(), SyncMode.INCREMENTAL_APPEND, FileSource.LAST_MODIFIED,
                List.of(), Map.of(), 100))) {
            s3.stop();
            try {
                assertThatThrownBy(reader::next).isInstanceOfSatisfying(CaravanException.class,
                        e -> assertThat(e.type()).isEqualTo(dev.caravan.spi.ErrorType.TRANSIENT)).hasMessageContaining("u/1.csv");
            } finally {
                s3.restart();
            }
        }
        assertThat(ids(config, Map.of())).containsExactly(1L);
    }

    private List<Object> ids(ConnectorConfig config, Map<String, Object> state) {
        List<Object> ids = new ArrayList<>();
        try (StreamReader reader = source.read(config, new ReadRequest("s", List.of(), SyncMode.INCREMENTAL_APPEND, FileSource.LAST_MODIFIED,
                List.of(), state, 100))) {
            RecordBatch batch;
            while ((batch = reader.next()) != null) {
                batch.rows().forEach(r -> ids.add(r[0]));
            }
        }
        return ids;
    }
}
