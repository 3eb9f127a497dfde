package dev.caravan.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.destination.parquet.ParquetFormat;
import dev.caravan.destination.parquet.StagedFile;
import dev.caravan.destination.parquet.StagingScope;
import dev.caravan.testing.TestingS3;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The S3 storage against a real S3 server (S3Proxy): staging as multipart uploads, publish, discard, listing, reads. */
class S3LakeStorageTest {
    private static final int PART = 5 * 1024 * 1024;
    private static final StagingScope ORDERS = new StagingScope("conn/ns/orders", List.of("raw/ns/orders/"),
            key -> key.startsWith("raw/ns/orders/2024/"));

    private static TestingS3 s3;
    private static int buckets;
    private String bucket;
    private S3LakeStorage storage;

    @BeforeAll
    static void start() {
        s3 = new TestingS3();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @BeforeEach
    void setUp() {
        bucket = s3.createBucket("storage-" + (++buckets));
        S3LakeConfig config = new S3LakeConfig(bucket, "us-east-1", s3.endpoint(), true, "lake/", s3.accessKey(), s3.secretKey(),
                ParquetFormat.DEFAULT);
        storage = new S3LakeStorage(S3Clients.create(config), config, PART);
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    @Test
    void aStagedFileIsUploadedInPartsAndInvisibleUntilPublished() throws Exception {
        byte[] content = randomBytes(2 * PART + 12_345);
        StagedFile staged = storage.stage(ORDERS, "raw/ns/orders/2024/05/01/data-001.parquet");
        try (PositionOutputStream out = staged.outputFile().create(0)) {
            out.write(content, 0, 1000);
            out.write(content[1000]);
            out.write(content, 1001, content.length - 1001);
            out.flush();
            assertThat(out.getPos()).isEqualTo(content.length);
            assertThatThrownBy(staged::publish).isInstanceOf(IllegalStateException.class).hasMessageContaining("close");
        }
        assertThat(s3.keys(bucket, "")).isEmpty();
        assertThat(s3.unfinishedUploads(bucket)).singleElement().satisfies(u -> assertThat(u.key()).isEqualTo("lake/raw/ns/orders/2024/05/01/data-001.parquet"));

        assertThat(staged.publish()).isEqualTo(content.length);
        assertThat(s3.keys(bucket, "")).containsExactly("lake/raw/ns/orders/2024/05/01/data-001.parquet");
        assertThat(s3.read(bucket, "lake/raw/ns/orders/2024/05/01/data-001.parquet")).isEqualTo(content);
        assertThat(s3.unfinishedUploads(bucket)).isEmpty();
        staged.discard();
        assertThat(s3.keys(bucket, "")).as("discard after publish does nothing").hasSize(1);
    }

    @Test
    void aBurstOfMorePartsThanCanBeInFlightArrivesWholeAndInOrder() throws Exception {
        // a row group flush hands several parts over at once; they upload side by side and complete in any order
        byte[] content = randomBytes((S3StagedFile.PARTS_IN_FLIGHT * 2 + 1) * PART + 999);
        StagedFile staged = storage.stage(ORDERS, "raw/ns/orders/2024/05/01/data-002.parquet");
        try (PositionOutputStream out = staged.outputFile().create(0)) {
            out.write(content, 0, content.length);
        }
        assertThat(staged.publish()).isEqualTo(content.length);
        assertThat(s3.read(bucket, "lake/raw/ns/orders/2024/05/01/data-002.parquet")).isEqualTo(content);
    }

    @Test
    void filesOneAfterAnotherReuseThePartBuffersAndArriveIntact() throws Exception {
        int parts = S3StagedFile.PARTS_IN_FLIGHT * 2 + 1;
        for (int file = 1; file <= 3; file++) {
            byte[] content = randomBytes(parts * PART + file);
            String key = "raw/ns/orders/2024/05/01/data-00" + file + ".parquet";
            StagedFile staged = storage.stage(ORDERS, key);
            try (PositionOutputStream out = staged.outputFile().create(0)) {
                out.write(content, 0, content.length);
            }
            assertThat(staged.publish()).isEqualTo(content.length);
            assertThat(s3.read(bucket, "lake/" + key)).as("file %d", file).isEqualTo(content);
        }
        assertThat(storage.partBuffersAllocated()).as("the first file's buffers serve the next files")
                .isLessThanOrEqualTo(S3StagedFile.PARTS_IN_FLIGHT + 1);
    }

    @Test
    void twoFilesStagedAtOnceUploadInParallelAndPublishIndependently() throws Exception {
        // what a stream writer encoding on two lanes does: both uploads open, parts interleaved, published one after the other
        byte[] first = randomBytes(2 * PART + 7);
        byte[] second = randomBytes(3 * PART + 11);
        StagedFile one = storage.stage(ORDERS, "raw/ns/orders/2024/05/01/data-001.parquet");
        StagedFile two = storage.stage(ORDERS, "raw/ns/orders/2024/05/01/data-002.parquet");
        try (PositionOutputStream a = one.outputFile().create(0); PositionOutputStream b = two.outputFile().create(0)) {
            for (int offset = 0; offset < second.length; offset += PART / 2) {
                if (offset < first.length) {
                    a.write(first, offset, Math.min(PART / 2, first.length - offset));
                }
                b.write(second, offset, Math.min(PART / 2, second.length - offset));
            }
        }
        assertThat(s3.unfinishedUploads(bucket)).hasSize(2);
        assertThat(one.publish()).isEqualTo(first.length);
        assertThat(two.publish()).isEqualTo(second.length);
        assertThat(s3.read(bucket, "lake/raw/ns/orders/2024/05/01/data-001.parquet")).isEqualTo(first);
        assertThat(s3.read(bucket, "lake/raw/ns/orders/2024/05/01/data-002.parquet")).isEqualTo(second);
        assertThat(s3.unfinishedUploads(bucket)).isEmpty();
    }

    @Test
    void aDiscardedFileNeverAppearsEvenWhenItsStreamIsClosedAfterwards() throws Exception {
        StagedFile staged = storage.stage(ORDERS, "raw/ns/orders/2024/05/01/data-001.parquet");
        PositionOutputStream out = staged.outputFile().create(0);
        out.write(randomBytes(PART + 10));
        staged.discard();
        assertThatThrownBy(() -> out.write(1)).hasMessageContaining("discarded");
        out.close(); // what ParquetWriter.close() does after an abort: the footer must go nowhere
        staged.discard();
        assertThatThrownBy(staged::publish).isInstanceOf(IllegalStateException.class).hasMessageContaining("discarded");
        assertThat(s3.keys(bucket, "")).isEmpty();
        assertThat(s3.unfinishedUploads(bucket)).isEmpty();
    }

    @Test
    void aPartThatCannotBeUploadedFailsTheStreamWithItsCauseAndLeavesNothingVisible() throws Exception {
        try (TestingS3 own = new TestingS3()) {
            own.createBucket("outage");
            S3LakeConfig config = new S3LakeConfig("outage", "us-east-1", own.endpoint(), true, "", own.accessKey(), own.secretKey(),
                    ParquetFormat.DEFAULT);
            try (S3LakeStorage failing = new S3LakeStorage(S3Clients.create(config), config, PART)) {
                StagedFile staged = failing.stage(ORDERS, "raw/ns/orders/2024/05/01/data-001.parquet");
                PositionOutputStream out = staged.outputFile().create(0);
                out.write(randomBytes(PART)); // a full buffer, not sent yet
                own.stop();
                assertThatThrownBy(() -> {
                    out.write(randomBytes(PART)); // sends part 1 in the background
                    out.close(); // waits for it
                }).isInstanceOf(java.io.IOException.class).hasMessageContaining("upload part 1").hasMessageContaining("unreachable");
                staged.discard(); // its abort fails too: the server is down

                own.restart();
                assertThat(own.keys("outage", "")).isEmpty();
                assertThat(own.unfinishedUploads("outage")).hasSize(1);
                failing.discardStaged(ORDERS);
                assertThat(own.unfinishedUploads("outage")).isEmpty();
            }
        }
    }

    @Test
    void discardStagedAbortsOnlyTheScopesLeftoverUploads() throws Exception {
        StagedFile ours = storage.stage(ORDERS, "raw/ns/orders/2024/05/01/data-007.parquet");
        ours.outputFile().create(0).write(1);
        StagedFile nested = storage.stage(ORDERS, "raw/ns/orders/items/2024/05/01/data-001.parquet");
        nested.outputFile().create(0).write(1);
        StagedFile other = storage.stage(ORDERS, "raw/ns/customers/2024/05/01/data-001.parquet");
        other.outputFile().create(0).write(1);

        storage.discardStaged(ORDERS);

        assertThat(s3.unfinishedUploads(bucket)).extracting(u -> u.key())
                .containsExactlyInAnyOrder("lake/raw/ns/orders/items/2024/05/01/data-001.parquet", "lake/raw/ns/customers/2024/05/01/data-001.parquet");
        nested.discard();
        other.discard();
        assertThat(s3.unfinishedUploads(bucket)).isEmpty();
    }

    @Test
    void smallObjectsListingAndDeletes() throws Exception {
        storage.writeAtomically("_airbyte_internal/state/a.json", "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
        storage.writeAtomically("_airbyte_internal/state/a.json", "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
        storage.writeAtomically("raw/x/2024/05/01/data-001.parquet", new byte[] {1});
        storage.writeAtomically("raw/xy/2024/05/01/data-001.parquet", new byte[] {2});

        assertThat(new String(storage.read("_airbyte_internal/state/a.json"), StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
        assertThat(storage.list("raw/x/")).containsExactly("raw/x/2024/05/01/data-001.parquet");
        assertThat(storage.list("raw/x")).hasSize(2);
        assertThat(storage.list("")).hasSize(3);
        assertThat(storage.exists("_airbyte_internal/state/a.json")).isTrue();
        assertThat(storage.exists("_airbyte_internal/state/b.json")).isFalse();
        assertThat(storage.describe("raw/x")).isEqualTo("s3://" + bucket + "/lake/raw/x");

        storage.delete("raw/x/2024/05/01/data-001.parquet");
        storage.delete("raw/x/2024/05/01/data-001.parquet");
        assertThat(storage.list("raw/")).containsExactly("raw/xy/2024/05/01/data-001.parquet");
        assertThat(s3.keys(bucket, "")).allMatch(k -> k.startsWith("lake/"));
        assertThatThrownBy(() -> storage.read("missing.json")).hasMessageContaining("does not exist");
    }

    @Test
    void anInputFileReadsRangesWithoutHoldingTheObject() throws Exception {
        byte[] content = randomBytes(3 * 1024 * 1024 + 17);
        storage.writeAtomically("blob.bin", content);
        InputFile file = storage.openInput("blob.bin");
        assertThat(file.getLength()).isEqualTo(content.length);
        try (SeekableInputStream in = file.newStream()) {
            byte[] tail = new byte[8];
            in.seek(content.length - 8);
            in.readFully(tail);
            assertThat(tail).isEqualTo(Arrays.copyOfRange(content, content.length - 8, content.length));
            assertThat(in.read()).isEqualTo(-1);

            in.seek(100);
            byte[] head = new byte[1_000_000];
            in.readFully(head);
            assertThat(head).isEqualTo(Arrays.copyOfRange(content, 100, 1_000_100));
            in.seek(1_100_000); // a short skip forward on the same request
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(50_000);
            in.readFully(buffer);
            assertThat(buffer.array()).isEqualTo(Arrays.copyOfRange(content, 1_100_000, 1_150_000));
            assertThat(in.getPos()).isEqualTo(1_150_000);
        }
        assertThatThrownBy(() -> storage.openInput("missing.bin")).hasMessageContaining("does not exist");
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
