package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.file.FileFixtures;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingS3;
import dev.caravan.testing.TestingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The files source end to end through a running server: CSV (gzip) and JSON Lines objects in a real S3 server (S3Proxy)
 * and Parquet/CSV files in a local folder, synced into the local lake in every sync mode, twice (new and replaced files
 * between the syncs); the output is read back with DuckDB.
 */
class FileSourceSyncTest {
    private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");

    @Test
    void everySyncModeFromS3AndALocalFolder(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        Path drop = Files.createDirectories(home.resolve("drop"));
        try (TestingS3 s3 = new TestingS3(); TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            String bucket = s3.createBucket("landing");
            put(s3, bucket, "orders/2026-04-01.csv.gz", gzip("id,customer,amount\n1,ann,10.50\n2,bob,20.00\n3,\"c, d\",n/a\n"));
            put(s3, bucket, "events/1.jsonl", "{\"id\":1,\"kind\":\"view\",\"ctx\":{\"page\":\"/\"}}\n{\"id\":2,\"kind\":\"buy\"}\n".getBytes(StandardCharsets.UTF_8));
            FileFixtures.parquet(drop, "metrics/day1.parquet", "SELECT i::BIGINT AS id, i * 2 AS twice FROM range(100) t(i)", T0);
            FileFixtures.write(drop, "customers/all.csv", "id;name\n1;Ann\n2;Bob\n", T0);
            String s3Streams = """
                    - name: orders
                      globs: ["orders/*.csv.gz"]
                      format: csv
                      primary_key: [id]
                      schema: {amount: "decimal(10,2)"}
                    - name: events
                      globs: ["events/*.jsonl"]
                      format: jsonl
                      primary_key: [id]
                    """;
            String localStreams = """
                    - name: metrics
                      globs: ["metrics/*.parquet"]
                      format: parquet
                    - name: customers
                      globs: ["customers/*.csv"]
                      format: csv
                      delimiter: ";"
                    """;
            testing.server().apply("""
                    sources:
                      - name: bucket
                        connector: files
                        config: {storage: s3, bucket: %s, endpoint: "%s", path_style_access: true, access_key_id: "%s", secret_access_key: "%s", streams: %s}
                      - name: folder
                        connector: files
                        config: {path: "%s", streams: %s}
                    destinations:
                      - {name: lake, connector: local, config: {path: "%s"}}
                    connections:
                      - name: s3files
                        source: bucket
                        destination: lake
                        namespace: s3
                        streams:
                          - {name: orders, sync_mode: incremental_append_deduped, cursor_field: _ab_source_file_last_modified, primary_key: [id]}
                          - {name: events, sync_mode: incremental_append, cursor_field: _ab_source_file_last_modified}
                      - name: localfiles
                        source: folder
                        destination: lake
                        namespace: local
                        streams:
                          - {name: metrics, sync_mode: full_refresh_overwrite}
                          - {name: customers, sync_mode: full_refresh_append}
                    """.formatted(bucket, s3.endpoint(), s3.accessKey(), s3.secretKey(), json(s3Streams), drop, json(localStreams), lake), "files.yaml");

            JobRecord first = testing.server().syncNow("s3files").orElseThrow();
            assertThat(first.status()).as(first.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(testing.server().syncNow("localfiles").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
            String orders = ParquetQuery.files(lake.resolve("raw/s3/orders"));
            assertThat(duck.count("SELECT count(*) FROM " + orders)).isEqualTo(3);
            assertThat(duck.rows("SELECT customer, CAST(amount AS VARCHAR) AS amount, _ab_source_file_url AS url FROM " + orders + " WHERE id = 3"))
                    .singleElement().satisfies(row -> {
                        assertThat(row.get("customer")).isEqualTo("c, d");
                        assertThat(row.get("amount")).isNull();
                        assertThat(row.get("url")).isEqualTo("s3://" + bucket + "/orders/2026-04-01.csv.gz");
                    });
            assertThat(duck.count("SELECT count(*) FROM " + orders + " WHERE CAST(_airbyte_meta AS VARCHAR) LIKE '%amount%NULLED%'")).isEqualTo(1);
            assertThat(first.streams()).filteredOn(s -> s.stream().equals("orders")).singleElement()
                    .satisfies(s -> assertThat(s.warnings()).anyMatch(w -> w.startsWith("1 record(s) were written with changes")));
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/s3/events")) + " WHERE json_extract_string(ctx, '$.page') = '/'")).isEqualTo(1);
            assertThat(duck.count("SELECT sum(twice) FROM " + ParquetQuery.files(ParquetQuery.currentGeneration(lake, "local", "metrics")))).isEqualTo(9900);

            // between syncs: a new orders file updating id 2, the first events file replaced, one more local Parquet file
            put(s3, bucket, "orders/2026-04-02.csv.gz", gzip("id,customer,amount\n2,bob,25.00\n4,dan,4.00\n"));
            put(s3, bucket, "events/1.jsonl", "{\"id\":1,\"kind\":\"view\"}\n{\"id\":2,\"kind\":\"buy\"}\n{\"id\":3,\"kind\":\"refund\"}\n".getBytes(StandardCharsets.UTF_8));
            FileFixtures.parquet(drop, "metrics/day2.parquet", "SELECT i::BIGINT AS id, i * 2 AS twice FROM range(100, 110) t(i)", T0.plusSeconds(60));
            assertThat(testing.server().syncNow("s3files").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(testing.server().syncNow("localfiles").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);

            assertThat(duck.count("SELECT count(*) FROM " + orders)).as("raw: every file once").isEqualTo(5);
            String snapshot = ParquetQuery.files(lake.resolve("snapshot/s3/orders"));
            assertThat(duck.count("SELECT count(*) FROM " + snapshot)).isEqualTo(4);
            assertThat(duck.rows("SELECT CAST(amount AS VARCHAR) AS amount FROM " + snapshot + " WHERE id = 2")).singleElement()
                    .satisfies(row -> assertThat(row.get("amount")).isEqualTo("25.00"));
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/s3/events")))).as("replaced file read again").isEqualTo(5);
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(ParquetQuery.currentGeneration(lake, "local", "metrics")))).isEqualTo(110);
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/local/customers")))).as("append: twice").isEqualTo(4);
        }
    }

    private static void put(TestingS3 s3, String bucket, String key, byte[] content) {
        s3.client().putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(content));
    }

    private static byte[] gzip(String text) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String json(String yaml) throws Exception {
        Object value = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(yaml, Object.class);
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value));
    }
}
