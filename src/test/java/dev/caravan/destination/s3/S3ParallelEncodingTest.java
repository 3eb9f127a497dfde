package dev.caravan.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.destination.parquet.ParquetFormat;
import dev.caravan.destination.parquet.ParquetStreamWriter;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import dev.caravan.spi.WriteSummary;
import dev.caravan.testing.TestingS3;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

/** A large stream encoded on two lanes into S3: both multipart uploads run at once and every row lands once. */
class S3ParallelEncodingTest {
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("name", FieldType.STRING)));

    @Test
    void twoLanesUploadTheirFilesAtOnceAndPublishBoth() throws Exception {
        try (TestingS3 s3 = new TestingS3()) {
            String bucket = s3.createBucket("lanes");
            ParquetFormat format = new ParquetFormat(CompressionCodecName.UNCOMPRESSED, 64L << 20, 8L << 20).withEncodingThreads(2);
            S3LakeConfig config = new S3LakeConfig(bucket, "us-east-1", s3.endpoint(), true, "lake/", s3.accessKey(), s3.secretKey(), format);
            WriteRequest request = new WriteRequest("conn", "orders", "ns", "", SyncMode.FULL_REFRESH_OVERWRITE, SCHEMA, List.of("id"), 1, 0, 1,
                    Instant.parse("2024-05-01T00:00:00Z"));
            long rows = 300_000;
            WriteSummary summary;
            try (ParquetStreamWriter writer = ParquetStreamWriter.open(new S3LakeStorage(S3Clients.create(config), config, 5 * 1024 * 1024),
                    format, request)) {
                for (long first = 0; first < rows; first += 10_000) {
                    List<Object[]> batch = new ArrayList<>();
                    for (long id = first; id < first + 10_000; id++) {
                        batch.add(new Object[] {id, "a name long enough to fill parts quickly " + id});
                    }
                    writer.write(new RecordBatch(SCHEMA, batch, Map.of()));
                }
                summary = writer.commit();
            }
            assertThat(summary.records()).isEqualTo(rows);
            assertThat(summary.files()).hasSize(2);
            assertThat(s3.keys(bucket, "lake/raw/")).containsExactlyInAnyOrderElementsOf(summary.files().stream().map(k -> "lake/" + k).toList());
            assertThat(s3.unfinishedUploads(bucket)).isEmpty();
        }
    }
}
