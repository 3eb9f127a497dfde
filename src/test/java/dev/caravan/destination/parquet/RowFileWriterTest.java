package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The column-wise writer over several row groups: the columns written once per row group (a one-entry dictionary and
 * one run of its index) read back by DuckDB and by parquet-java with the writer's value on every row, with their
 * statistics, beside the columns written row by row.
 */
class RowFileWriterTest {
    private static final Schema SCHEMA = new Schema(List.of(Field.nullable("id", FieldType.INT64), Field.nullable("name", FieldType.STRING),
            Field.nullable("amount", FieldType.decimal(12, 2))));
    private static final Instant EXTRACTED_AT = Instant.parse("2024-05-01T10:15:30.123Z");
    private static final int ROWS = 200_000;

    @TempDir
    Path dir;

    @Test
    void constantColumnsAreWrittenOncePerRowGroupAndReadBackOnEveryRow() throws Exception {
        Path file = dir.resolve("data.parquet");
        // 1 MiB row groups: the rows span several
        ParquetFormat format = new ParquetFormat(CompressionCodecName.SNAPPY, 128L << 20, 1L << 20);
        RowEncoder encoder = new RowEncoder("s", SCHEMA, 41, 7, EXTRACTED_AT);
        try (RowFileWriter writer = new RowFileWriter(new LocalOutputFile(file), encoder, format, Set.of(), poisoning())) {
            for (long i = 0; i < ROWS; i++) {
                writer.write(new Object[] {i, i % 3 == 0 ? null : "name " + i, BigDecimal.valueOf(i, 2)}, List.of());
            }
        }
        List<BlockMetaData> rowGroups;
        try (ParquetFileReader reader = ParquetFiles.read(new LocalInputFile(file))) {
            rowGroups = reader.getFooter().getBlocks();
        }
        assertThat(rowGroups).hasSizeGreaterThan(2);
        assertThat(rowGroups.stream().mapToLong(BlockMetaData::getRowCount).sum()).isEqualTo(ROWS);
        for (BlockMetaData rowGroup : rowGroups) {
            ColumnChunkMetaData extractedAt = rowGroup.getColumns().get(1);
            ColumnChunkMetaData generation = rowGroup.getColumns().get(3);
            assertThat(extractedAt.getPath().toDotString()).isEqualTo(RowEncoder.EXTRACTED_AT);
            assertThat(generation.getPath().toDotString()).isEqualTo(RowEncoder.GENERATION_ID);
            for (ColumnChunkMetaData constant : List.of(extractedAt, generation)) {
                assertThat(constant.getValueCount()).isEqualTo(rowGroup.getRowCount());
                assertThat(constant.getEncodings()).contains(Encoding.PLAIN_DICTIONARY);
                assertThat(constant.getEncodingStats().hasNonDictionaryEncodedPages()).isFalse();
                assertThat(constant.getStatistics().getNumNulls()).isZero();
                // a few bytes per row group, whatever its number of rows
                assertThat(constant.getTotalSize()).isLessThan(200);
            }
            assertThat(extractedAt.getStatistics().genericGetMin()).isEqualTo(EXTRACTED_AT.toEpochMilli());
            assertThat(generation.getStatistics().genericGetMax()).isEqualTo(7L);
        }
        try (TestingDuckDb duck = new TestingDuckDb()) {
            String source = "read_parquet('" + file + "')";
            assertThat(duck.rows("select count(*), count(distinct _airbyte_raw_id), count(*) filter (where epoch_ms(_airbyte_extracted_at) = "
                    + EXTRACTED_AT.toEpochMilli() + "), count(*) filter (where _airbyte_generation_id = 7), count(name), sum(id), sum(amount),"
                    + " min(_airbyte_meta::varchar), max(_airbyte_meta::varchar) from " + source).get(0).stream().map(String::valueOf))
                    .containsExactly("200000", "200000", "200000", "200000", "133333", "19999900000", "199999000.00",
                            "{\"sync_id\":41,\"changes\":[]}", "{\"sync_id\":41,\"changes\":[]}");
            // the row group's statistics are what DuckDB's metadata reader sees too
            assertThat(duck.rows("select distinct stats_min, stats_max from parquet_metadata('" + file + "') where path_in_schema = '"
                    + RowEncoder.GENERATION_ID + "'")).containsExactly(List.of("7", "7"));
        }
        try (ParquetRowReader reader = new ParquetRowReader(new LocalInputFile(file), encoder.messageType(), "written file")) {
            long rows = 0;
            Object[] row;
            while ((row = reader.next()) != null) {
                assertThat(row[1]).isEqualTo(EXTRACTED_AT.toEpochMilli());
                assertThat(row[3]).isEqualTo(7L);
                assertThat(row[4]).isEqualTo(rows++);
            }
            assertThat(rows).isEqualTo(ROWS);
        }
    }

    @Test
    void metaIsWrittenOncePerRowGroupUntilARowHasChanges() throws Exception {
        Path file = dir.resolve("changes.parquet");
        ParquetFormat format = new ParquetFormat(CompressionCodecName.SNAPPY, 128L << 20, 1L << 20);
        RowEncoder encoder = new RowEncoder("s", SCHEMA, 41, 7, EXTRACTED_AT);
        List<FieldChange> truncated = List.of(new FieldChange("name", FieldChange.TRUNCATED, FieldChange.SOURCE_SERIALIZATION_ERROR));
        // rows 150,000 and 150,001 have changes from the source; row 150,002 has a value this destination nulls
        try (RowFileWriter writer = new RowFileWriter(new LocalOutputFile(file), encoder, format, Set.of(), poisoning())) {
            for (long i = 0; i < ROWS; i++) {
                Object amount = i == 150_002 ? new BigDecimal("1.001") : BigDecimal.valueOf(i, 2);
                writer.write(new Object[] {i, "name " + i, amount}, i == 150_000 || i == 150_001 ? truncated : List.of());
            }
        }
        try (TestingDuckDb duck = new TestingDuckDb()) {
            String source = "read_parquet('" + file + "')";
            assertThat(duck.rows("select id, _airbyte_meta::varchar from " + source + " where _airbyte_meta::varchar <> '{\"sync_id\":41,\"changes\":[]}'"
                    + " order by id")).containsExactly(
                    List.of(150_000L, "{\"sync_id\":41,\"changes\":[{\"field\":\"name\",\"change\":\"TRUNCATED\",\"reason\":\"SOURCE_SERIALIZATION_ERROR\"}]}"),
                    List.of(150_001L, "{\"sync_id\":41,\"changes\":[{\"field\":\"name\",\"change\":\"TRUNCATED\",\"reason\":\"SOURCE_SERIALIZATION_ERROR\"}]}"),
                    List.of(150_002L, "{\"sync_id\":41,\"changes\":[{\"field\":\"amount\",\"change\":\"NULLED\",\"reason\":\"DESTINATION_SERIALIZATION_ERROR\"}]}"));
            assertThat(duck.single("select count(*) from " + source + " where _airbyte_meta::varchar = '{\"sync_id\":41,\"changes\":[]}'"))
                    .isEqualTo((long) ROWS - 3);
            // the row group holding the changes wrote its meta row by row, the others once
            List<List<Object>> chunks = duck.rows("select row_group_num_rows, total_compressed_size from parquet_metadata('" + file
                    + "') where path_in_schema = '" + RowEncoder.META + "' order by row_group_id");
            assertThat(chunks).hasSizeGreaterThan(2);
            assertThat(chunks.stream().filter(chunk -> ((Number) chunk.get(1)).longValue() > 200)).hasSize(1);
        }
    }

    /**
     * One pool for file after file, as a lane uses it: the buffers of each row group come back for the next ones (every
     * released buffer overwritten: a page read after its buffer went back would come out as garbage), every value reads
     * back right, and nothing stays handed out once the files are closed.
     */
    @Test
    void filesWrittenFromReusedPageBuffersReadBackExactly() throws Exception {
        ParquetFormat format = new ParquetFormat(CompressionCodecName.SNAPPY, 128L << 20, 1L << 20);
        RowEncoder encoder = new RowEncoder("s", SCHEMA, 41, 7, EXTRACTED_AT);
        PageBufferPool buffers = poisoning();
        List<Path> files = List.of(dir.resolve("first.parquet"), dir.resolve("second.parquet"));
        long id = 0;
        for (Path file : files) {
            try (RowFileWriter writer = new RowFileWriter(new LocalOutputFile(file), encoder, format, Set.of(), buffers)) {
                for (int i = 0; i < ROWS; i++, id++) {
                    writer.write(new Object[] {id, "name " + (id * 7919 % 100_003), BigDecimal.valueOf(id % 1_000_000, 2)}, List.of());
                }
            }
            assertThat(buffers.handedOutBytes()).as("buffers still handed out after closing " + file).isZero();
        }
        assertThat(buffers.reused()).as("requests served by released buffers").isGreaterThan(100);
        try (TestingDuckDb duck = new TestingDuckDb()) {
            String source = "read_parquet(['" + files.get(0) + "', '" + files.get(1) + "'])";
            assertThat(duck.rows("select count(*), count(distinct id), sum(id), count(*) filter (where name = 'name ' || (id * 7919 % 100003)),"
                    + " count(*) filter (where amount = (id % 1000000) / 100) from " + source).get(0).stream().map(String::valueOf))
                    .containsExactly("400000", "400000", "79999800000", "400000", "400000");
        }
    }

    @Test
    void aColumnWhoseDictionaryOverflowedIsWrittenPlainInTheFilesNextRowGroups() throws Exception {
        Schema schema = new Schema(List.of(Field.nullable("id", FieldType.INT64), Field.nullable("code", FieldType.STRING),
                Field.nullable("name", FieldType.STRING)));
        Path file = dir.resolve("learning.parquet");
        ParquetFormat format = new ParquetFormat(CompressionCodecName.SNAPPY, 128L << 20, 1L << 20);
        String padding = "x".repeat(200);
        // 20,000 distinct 200-byte codes overflow the first row group's 1 MiB dictionary; then one code, which a dictionary
        // would hold, and 10 names, which it does hold
        try (RowFileWriter writer = new RowFileWriter(new LocalOutputFile(file), new RowEncoder("s", schema, 41, 7, EXTRACTED_AT), format,
                Set.of(), poisoning())) {
            for (long i = 0; i < ROWS; i++) {
                writer.write(new Object[] {i, i < 20_000 ? i + padding : "same", "name " + (i % 10)}, List.of());
            }
        }
        List<BlockMetaData> rowGroups;
        try (ParquetFileReader reader = ParquetFiles.read(new LocalInputFile(file))) {
            rowGroups = reader.getFooter().getBlocks();
        }
        assertThat(rowGroups).hasSizeGreaterThan(2);
        assertThat(chunk(rowGroups.get(0), "code").getEncodingStats().hasNonDictionaryEncodedPages()).as("the first row group fell back").isTrue();
        for (BlockMetaData later : rowGroups.subList(1, rowGroups.size())) {
            assertThat(chunk(later, "code").getEncodingStats().hasDictionaryPages()).as("no dictionary tried again").isFalse();
            assertThat(chunk(later, "name").getEncodingStats().hasDictionaryPages()).isTrue();
            assertThat(chunk(later, "name").getEncodingStats().hasNonDictionaryEncodedPages()).as("the names keep theirs").isFalse();
        }
        try (TestingDuckDb duck = new TestingDuckDb()) {
            assertThat(duck.rows("select count(*), count(distinct code), count(*) filter (where code = 'same'), count(*) filter (where code = id || '"
                    + padding + "'), count(*) filter (where name = 'name ' || (id % 10)) from read_parquet('" + file + "')").get(0).stream()
                    .map(String::valueOf)).containsExactly("200000", "20001", "180000", "20000", "200000");
        }
    }

    private static ColumnChunkMetaData chunk(BlockMetaData rowGroup, String column) {
        return rowGroup.getColumns().stream().filter(c -> c.getPath().toDotString().equals(column)).findFirst().orElseThrow();
    }

    /** A pool that overwrites what is released, so that a use after release shows in the data. */
    private static PageBufferPool poisoning() {
        return new PageBufferPool(64L << 20, true);
    }

    @Test
    void anAbandonedFileGetsNoFooter() throws Exception {
        Path file = dir.resolve("abandoned.parquet");
        RowEncoder encoder = new RowEncoder("s", SCHEMA, 41, 7, EXTRACTED_AT);
        RowFileWriter writer = new RowFileWriter(new LocalOutputFile(file), encoder, ParquetFormat.DEFAULT, Set.of(), poisoning());
        writer.write(new Object[] {1L, "one", BigDecimal.ONE}, List.of());
        writer.abandon();
        writer.close();
        // at most the leading magic number (the stream stays its owner's to close): no rows, no footer
        assertThat(Files.size(file)).isLessThanOrEqualTo(4);
    }
}
