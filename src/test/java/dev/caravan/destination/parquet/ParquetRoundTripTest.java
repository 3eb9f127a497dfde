package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteSummary;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every field kind written by the writer and read back by DuckDB with exact values and types. */
class ParquetRoundTripTest {
    private static final Schema SCHEMA = new Schema(List.of(
            Field.nullable("id", FieldType.INT64),
            Field.nullable("flag", FieldType.BOOLEAN),
            Field.nullable("i32", FieldType.INT32),
            Field.nullable("i64", FieldType.INT64),
            Field.nullable("f32", FieldType.FLOAT32),
            Field.nullable("f64", FieldType.FLOAT64),
            Field.nullable("d12", FieldType.decimal(12, 2)),
            Field.nullable("d18", FieldType.decimal(18, 18)),
            Field.nullable("d20", FieldType.decimal(20, 0)),
            Field.nullable("d38", FieldType.decimal(38, 10)),
            Field.nullable("s", FieldType.STRING),
            Field.nullable("j", FieldType.JSON),
            Field.nullable("day", FieldType.DATE),
            Field.nullable("t", FieldType.TIME),
            Field.nullable("ts", FieldType.TIMESTAMP),
            Field.required("tstz", FieldType.TIMESTAMP_TZ),
            Field.nullable("bin", FieldType.BYTES)));

    @TempDir
    Path dir;
    private TestingLake lake;

    @BeforeEach
    void setUp() {
        lake = new TestingLake(dir);
    }

    @Test
    void everyKindRoundTripsExactly() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {1L, true, Integer.MAX_VALUE, Long.MAX_VALUE, 1.5f, Math.PI,
                new BigDecimal("1234567890.12"), new BigDecimal("0.123456789012345678"),
                new BigDecimal("-99999999999999999999"), new BigDecimal("1234567890123456789012345678.9012345678"),
                "héllo ✓ 😀 \"quoted\"", "{\"a\":[1,2,{\"b\":null}]}", LocalDate.of(2024, 2, 29), LocalTime.of(23, 59, 59, 999_999_000),
                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 123_456_000), Instant.parse("2024-05-01T00:00:00.000001Z"),
                new byte[] {0, 1, (byte) 0xFF}});
        rows.add(new Object[] {2L, false, Integer.MIN_VALUE, Long.MIN_VALUE, -0.25f, -1e300,
                new BigDecimal("-0.01"), new BigDecimal("-0.999999999999999999"),
                new BigDecimal("99999999999999999999"), new BigDecimal("-9999999999999999999999999999.9999999999"),
                "", "null", LocalDate.of(1, 1, 1), LocalTime.MIDNIGHT,
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000), Instant.parse("1900-01-01T00:00:00Z"),
                new byte[0]});
        rows.add(new Object[] {3L, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null});
        // any Number for numeric kinds; decimals take integral and floating inputs at the declared scale
        rows.add(new Object[] {4L, true, (short) 42, 7, 2.5d, 3, 5L, 0.5d, BigInteger.TEN.pow(19), 12,
                new StringBuilder("built"), "[]", LocalDate.of(1970, 1, 1), LocalTime.of(12, 0),
                LocalDateTime.of(1970, 1, 1, 0, 0), OffsetDateTime.of(2024, 5, 1, 2, 0, 0, 0, ZoneOffset.ofHours(2)),
                "x".getBytes(StandardCharsets.UTF_8)});

        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, TestingLake.request("types", SyncMode.FULL_REFRESH_APPEND, SCHEMA, 7))) {
            writer.write(TestingLake.batch(SCHEMA, rows));
            WriteSummary summary = writer.commit();
            assertThat(summary.records()).isEqualTo(4);
            assertThat(summary.files()).containsExactly("raw/ns/types/2024/05/01/data-001.parquet");
        }

        try (TestingDuckDb duck = new TestingDuckDb()) {
            String source = TestingDuckDb.parquet(dir.resolve("raw"));
            List<List<Object>> back = duck.rows("select flag, i32, i64, f32, f64, d12, d18, d20, d38, s, j::varchar, cast(day as varchar),"
                    + " cast(t as varchar), epoch_us(ts), epoch_us(tstz), hex(bin) from " + source + " order by id");
            assertThat(back.get(0)).containsExactly(true, Integer.MAX_VALUE, Long.MAX_VALUE, 1.5f, Math.PI,
                    new BigDecimal("1234567890.12"), new BigDecimal("0.123456789012345678"),
                    new BigDecimal("-99999999999999999999"), new BigDecimal("1234567890123456789012345678.9012345678"),
                    "héllo ✓ 😀 \"quoted\"", "{\"a\":[1,2,{\"b\":null}]}", "2024-02-29", "23:59:59.999999",
                    -876_544L, 1_714_521_600_000_001L, "0001FF");
            assertThat(back.get(1)).containsExactly(false, Integer.MIN_VALUE, Long.MIN_VALUE, -0.25f, -1e300,
                    new BigDecimal("-0.01"), new BigDecimal("-0.999999999999999999"),
                    new BigDecimal("99999999999999999999"), new BigDecimal("-9999999999999999999999999999.9999999999"),
                    "", "null", "0001-01-01", "00:00:00",
                    253_402_300_799_999_999L, -2_208_988_800_000_000L, "");
            assertThat(back.get(2)).containsOnlyNulls();
            assertThat(back.get(3)).containsExactly(true, 42, 7L, 2.5f, 3.0d,
                    new BigDecimal("5.00"), new BigDecimal("0.500000000000000000"),
                    new BigDecimal("10000000000000000000"), new BigDecimal("12.0000000000"),
                    "built", "[]", "1970-01-01", "12:00:00", 0L, 1_714_521_600_000_000L, "78");
            assertThat(duck.single("select count(*) from " + source + " where _airbyte_meta <> '{\"sync_id\":7,\"changes\":[]}'")).isEqualTo(0L);
        }
    }

    @Test
    void timestampsWithinADayAndAcrossDaysKeepTheirWallClockValue() throws Exception {
        Schema schema = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("ts", FieldType.TIMESTAMP)));
        LocalDateTime[] values = {LocalDateTime.of(2024, 2, 28, 23, 59, 59, 999_999_000), LocalDateTime.of(2024, 2, 29, 0, 0),
                LocalDateTime.of(2024, 2, 29, 12, 30, 1, 5_000), LocalDateTime.of(2024, 2, 29, 23, 59, 59), LocalDateTime.of(2024, 3, 1, 0, 0, 1),
                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 1_000), LocalDateTime.of(1969, 12, 31, 0, 0), LocalDateTime.of(2024, 3, 1, 0, 0, 2)};
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            rows.add(new Object[] {(long) i, values[i]});
        }
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, TestingLake.request("times", SyncMode.FULL_REFRESH_APPEND, schema, 3))) {
            writer.write(TestingLake.batch(schema, rows));
            writer.commit();
        }
        try (TestingDuckDb duck = new TestingDuckDb()) {
            List<List<Object>> back = duck.rows("select id, epoch_us(ts) from " + TestingDuckDb.parquet(dir.resolve("raw")) + " order by id");
            for (int i = 0; i < values.length; i++) {
                long expected = values[i].toEpochSecond(ZoneOffset.UTC) * 1_000_000L + values[i].getNano() / 1_000;
                assertThat(((Number) back.get(i).get(1)).longValue()).as("row %d: %s", i, values[i]).isEqualTo(expected);
            }
        }
    }

    @Test
    void columnsHaveTheirLogicalTypesAfterTheMetadataColumns() throws Exception {
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, TestingLake.request("types", SyncMode.FULL_REFRESH_APPEND, SCHEMA, 7))) {
            Object[] nulls = new Object[SCHEMA.size()];
            writer.write(TestingLake.batch(SCHEMA, List.<Object[]>of(nulls)));
            writer.commit();
        }
        try (TestingDuckDb duck = new TestingDuckDb()) {
            String source = TestingDuckDb.parquet(dir.resolve("raw"));
            assertThat(duck.columnTypes(source)).containsExactly(
                    entry("_airbyte_raw_id", "VARCHAR"),
                    entry("_airbyte_extracted_at", "TIMESTAMP WITH TIME ZONE"),
                    entry("_airbyte_meta", "JSON"),
                    entry("_airbyte_generation_id", "BIGINT"),
                    entry("id", "BIGINT"),
                    entry("flag", "BOOLEAN"),
                    entry("i32", "INTEGER"),
                    entry("i64", "BIGINT"),
                    entry("f32", "FLOAT"),
                    entry("f64", "DOUBLE"),
                    entry("d12", "DECIMAL(12,2)"),
                    entry("d18", "DECIMAL(18,18)"),
                    entry("d20", "DECIMAL(20,0)"),
                    entry("d38", "DECIMAL(38,10)"),
                    entry("s", "VARCHAR"),
                    entry("j", "JSON"),
                    entry("day", "DATE"),
                    entry("t", "TIME"),
                    entry("ts", "TIMESTAMP"),
                    entry("tstz", "TIMESTAMP WITH TIME ZONE"),
                    entry("bin", "BLOB"));
            String file = "'" + dir.resolve("raw/ns/types/2024/05/01/data-001.parquet") + "'";
            List<List<Object>> physical = duck.rows("select name, type, repetition_type, type_length from parquet_schema(" + file + ") where name <> 'caravan_record'");
            Map<String, List<Object>> byName = new java.util.HashMap<>();
            physical.forEach(row -> byName.put((String) row.get(0), row));
            assertThat(byName.get("_airbyte_raw_id")).containsExactly("_airbyte_raw_id", "BYTE_ARRAY", "REQUIRED", null);
            assertThat(byName.get("_airbyte_extracted_at")).containsExactly("_airbyte_extracted_at", "INT64", "REQUIRED", null);
            assertThat(byName.get("_airbyte_meta")).containsExactly("_airbyte_meta", "BYTE_ARRAY", "REQUIRED", null);
            assertThat(byName.get("_airbyte_generation_id")).containsExactly("_airbyte_generation_id", "INT64", "REQUIRED", null);
            assertThat(byName.get("tstz").get(2)).as("data columns are optional even when the field is required").isEqualTo("OPTIONAL");
            assertThat(byName.get("d12").subList(1, 3)).containsExactly("INT64", "OPTIONAL");
            assertThat(byName.get("d18").subList(1, 3)).containsExactly("INT64", "OPTIONAL");
            assertThat(byName.get("d20")).containsExactly("d20", "FIXED_LEN_BYTE_ARRAY", "OPTIONAL", "9");
            assertThat(byName.get("d38")).containsExactly("d38", "FIXED_LEN_BYTE_ARRAY", "OPTIONAL", "16");
            assertThat(duck.rows("select name, logical_type from parquet_schema(" + file + ") where name in ('_airbyte_meta', 's', 'j')"))
                    .extracting(row -> row.get(0) + " " + row.get(1))
                    .containsExactlyInAnyOrder("_airbyte_meta JsonType()", "s StringType()", "j JsonType()");
            assertThat(duck.rows("select name, logical_type from parquet_schema(" + file + ") where name in ('_airbyte_extracted_at', 't', 'ts', 'tstz')"))
                    .extracting(row -> row.get(0) + " " + row.get(1))
                    .containsExactlyInAnyOrder(
                            "_airbyte_extracted_at TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=MilliSeconds(), MICROS=<null>, NANOS=<null>))",
                            "t TimeType(isAdjustedToUTC=0, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))",
                            "ts TimestampType(isAdjustedToUTC=0, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))",
                            "tstz TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))");
        }
    }

    @Test
    void metadataColumnsCarryTheJobsValues() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (long i = 0; i < 1000; i++) {
            Object[] row = new Object[SCHEMA.size()];
            row[0] = i;
            rows.add(row);
        }
        var request = new dev.caravan.spi.WriteRequest("conn", "meta", "ns", "", SyncMode.INCREMENTAL_APPEND, SCHEMA, List.of("id"),
                41, 2, 9, TestingLake.EXTRACTED_AT);
        long before = System.currentTimeMillis();
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, request)) {
            writer.write(TestingLake.batch(SCHEMA, rows));
            writer.commit();
        }
        long after = System.currentTimeMillis();
        try (TestingDuckDb duck = new TestingDuckDb()) {
            String source = TestingDuckDb.parquet(dir.resolve("raw"));
            for (List<Object> id : duck.rows("select _airbyte_raw_id from " + source)) {
                java.util.UUID uuid = java.util.UUID.fromString((String) id.get(0));
                assertThat(uuid.toString()).isEqualTo(id.get(0));
                assertThat(uuid.version()).as("%s", uuid).isEqualTo(7);
                assertThat(uuid.variant()).as("%s", uuid).isEqualTo(2);
                assertThat(uuid.getMostSignificantBits() >>> 16).as("the writer's start time in ms").isBetween(before, after);
            }
            List<List<Object>> summary = duck.rows("select count(*), count(distinct _airbyte_raw_id), min(epoch_ms(_airbyte_extracted_at)),"
                    + " max(epoch_ms(_airbyte_extracted_at)), min(_airbyte_meta::varchar), max(_airbyte_meta::varchar), min(_airbyte_generation_id),"
                    + " max(_airbyte_generation_id), count(*) filter (where regexp_full_match(_airbyte_raw_id,"
                    + " '[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}')) from " + source);
            long millis = TestingLake.EXTRACTED_AT.toEpochMilli();
            assertThat(summary.get(0)).containsExactly(1000L, 1000L, millis, millis,
                    "{\"sync_id\":41,\"changes\":[]}", "{\"sync_id\":41,\"changes\":[]}", 9L, 9L, 1000L);
        }
        assertThat(Arrays.asList(lake.dataFiles("meta").toArray())).containsExactly("raw/ns/meta/2024/05/01/data-001.parquet");
    }
}
