package dev.caravan.source.file;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The files source on the files people really drop: encodings, BOMs, broken rows and files, changing folders. */
class FileSourceEdgeCasesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private final FileSource source = new FileSource();

    @TempDir
    Path root;

    private ConnectorConfig config(String streams, Object... more) {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("path", root.toString(), "streams", streams));
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return source.spec().validate(values, "");
    }

    private static String csvStream(String extra) {
        return "- name: s\n  globs: [\"in/**\"]\n  format: csv\n" + extra;
    }

    /** Every batch of a read, rows copied, with the reader's warnings. */
    private Read read(ConnectorConfig config, SyncMode mode, Map<String, Object> state) {
        String cursor = mode.incremental() ? FileSource.LAST_MODIFIED : null;
        List<Object[]> rows = new ArrayList<>();
        Map<Integer, List<FieldChange>> changes = new HashMap<>();
        Map<String, Object> checkpoint = state;
        try (StreamReader reader = source.read(config, new ReadRequest("s", List.of(), mode, cursor, List.of(), state, 1000))) {
            RecordBatch batch;
            while ((batch = reader.next()) != null) {
                for (int r = 0; r < batch.size(); r++) {
                    if (!batch.changesOf(r).isEmpty()) {
                        changes.put(rows.size(), batch.changesOf(r));
                    }
                    rows.add(batch.rows().get(r).clone());
                }
                checkpoint = batch.checkpoint().isEmpty() ? checkpoint : batch.checkpoint();
            }
            return new Read(reader.schema(), rows, changes, checkpoint, reader.warnings());
        }
    }

    record Read(Schema schema, List<Object[]> rows, Map<Integer, List<FieldChange>> changes, Map<String, Object> checkpoint, List<String> warnings) {
        Object value(int row, String field) {
            return rows.get(row)[schema.indexOf(field)];
        }
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstColumnName() {
        FileFixtures.write(root, "in/bom.csv", "\uFEFFid,name\n1,a\n", T0);
        Read read = read(config(csvStream("")), SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(read.schema().names()).startsWith("id", "name");
        assertThat(read.value(0, "id")).isEqualTo(1L);
    }

    @Test
    void latin1TextIsDecodedWithTheDeclaredEncodingAndInvalidUtf8IsNulledWithAChange() {
        FileFixtures.write(root, "in/latin.csv", "id,name\n1,Jos\u00e9 M\u00fcller\n", StandardCharsets.ISO_8859_1, T0);
        Read latin = read(config(csvStream("  encoding: ISO-8859-1\n")), SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(latin.value(0, "name")).isEqualTo("Jos\u00e9 M\u00fcller");
        assertThat(latin.changes()).isEmpty();

        Read asUtf8 = read(config(csvStream("")), SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(asUtf8.value(0, "name")).isNull();
        assertThat(asUtf8.value(0, "id")).isEqualTo(1L);
        assertThat(asUtf8.changes().get(0)).containsExactly(new FieldChange("name", FieldChange.NULLED, FieldChange.SOURCE_SERIALIZATION_ERROR));
    }

    @Test
    void rowsWithTheWrongNumberOfValuesAreKeptWithChanges() {
        FileFixtures.write(root, "in/ragged.csv", "a,b,c\n1,2,3\n4,5\n6,7,8,9\n", T0);
        Read read = read(config(csvStream("")), SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(read.rows()).hasSize(3);
        assertThat(read.value(1, "c")).isNull();
        assertThat(read.changes().get(1)).containsExactly(new FieldChange("c", FieldChange.NULLED, FieldChange.SOURCE_SERIALIZATION_ERROR));
        assertThat(read.value(2, "c")).isEqualTo(8L);
        assertThat(read.changes().get(2)).containsExactly(new FieldChange(CsvRows.EXTRA_VALUES, FieldChange.TRUNCATED, FieldChange.SOURCE_SERIALIZATION_ERROR));
        assertThat(read.changes()).doesNotContainKey(0);
    }

    @Test
    void aValueThatDoesNotFitItsInferredOrDeclaredTypeIsNulledWithAChange() {
        StringBuilder csv = new StringBuilder("id,amount\n");
        for (int i = 0; i < 5; i++) {
            csv.append(i).append(',').append(i).append(".50\n");
        }
        csv.append("x,n/a\n");
        FileFixtures.write(root, "in/types.csv", csv.toString(), T0);
        Read read = read(config(csvStream("  infer_rows: 5\n  schema:\n    amount: \"decimal(6,2)\"\n")), SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(read.schema().field("id").orElseThrow().type()).isEqualTo(FieldType.INT64);
        assertThat(read.schema().field("amount").orElseThrow().type()).isEqualTo(FieldType.decimal(6, 2));
        assertThat(read.value(1, "amount")).isEqualTo(new BigDecimal("1.50"));
        assertThat(read.value(5, "id")).isNull();
        assertThat(read.changes().get(5)).extracting(FieldChange::field).containsExactly("id", "amount");
    }

    @Test
    void columnsAreTheUnionAcrossFilesAndConflictingTypesWiden() {
        FileFixtures.write(root, "in/a.csv", "id,score,tag\n1,2,x\n", T0);
        FileFixtures.write(root, "in/b.csv", "id,score,extra\n2,2.5,true\n", T0.plusSeconds(1));
        FileFixtures.write(root, "in/c.csv", "id,tag\nthree,y\n", T0.plusSeconds(2));
        Read read = read(config(csvStream("")), SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(read.schema().names()).containsExactlyInAnyOrder("id", "score", "tag", "extra", FileSource.FILE_URL, FileSource.LAST_MODIFIED);
        assertThat(read.schema().field("id").orElseThrow().type()).isEqualTo(FieldType.STRING);
        assertThat(read.schema().field("score").orElseThrow().type()).isEqualTo(FieldType.FLOAT64);
        assertThat(read.schema().field("extra").orElseThrow().type()).isEqualTo(FieldType.BOOLEAN);
        assertThat(read.rows()).hasSize(3);
        assertThat(read.value(0, "score")).isEqualTo(2.0);
        assertThat(read.value(0, "extra")).isNull();
        assertThat(read.value(2, "id")).isEqualTo("three");
        assertThat(read.changes()).isEmpty();
    }

    @Test
    void integersBeyond18DigitsAndLeadingZerosStayTextNotLossyNumbers() {
        FileFixtures.write(root, "in/ids.csv", "big,zip,small\n12345678901234567890123,00123,5\n", T0);
        Read read = read(config(csvStream("")), SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(read.schema().field("big").orElseThrow().type()).isEqualTo(FieldType.STRING);
        assertThat(read.schema().field("zip").orElseThrow().type()).isEqualTo(FieldType.STRING);
        assertThat(read.schema().field("small").orElseThrow().type()).isEqualTo(FieldType.INT64);
        assertThat(read.value(0, "big")).isEqualTo("12345678901234567890123");
        assertThat(read.value(0, "zip")).isEqualTo("00123");
    }

    @Test
    void emptyFilesAndHugeLinesAreRead() {
        FileFixtures.write(root, "in/empty.csv", "", T0);
        FileFixtures.write(root, "in/header-only.csv", "id,text\n", T0.plusSeconds(1));
        String huge = "x".repeat(8 * 1024 * 1024);
        FileFixtures.write(root, "in/huge.csv", "id,text\n1,\"" + huge + "\"\n2,small\n", T0.plusSeconds(2));
        Read read = read(config(csvStream("")), SyncMode.INCREMENTAL_APPEND, Map.of());
        assertThat(read.rows()).hasSize(2);
        assertThat((String) read.value(0, "text")).hasSize(huge.length());
        assertThat((Map<?, ?>) read.checkpoint().get("files")).hasSize(3);
    }

    @Test
    void aBrokenGzipFailsTheStreamNamingTheFileOrIsSkippedWithAWarning() throws Exception {
        FileFixtures.write(root, "in/good.csv.gz", "id\n1\n2\n", T0);
        Path broken = FileFixtures.write(root, "in/zbroken.csv.gz", "id\n" + "7\n".repeat(50_000), T0.plusSeconds(1));
        byte[] bytes = Files.readAllBytes(broken);
        Files.write(broken, Arrays.copyOf(bytes, bytes.length / 2));
        Files.setLastModifiedTime(broken, java.nio.file.attribute.FileTime.from(T0.plusSeconds(1)));
        FileFixtures.write(root, "in/zz-later.csv", "id\n3\n", T0.plusSeconds(2));

        assertThatThrownBy(() -> read(config(csvStream("")), SyncMode.INCREMENTAL_APPEND, Map.of()))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("zbroken.csv.gz").hasMessageContaining("unreadable_files");

        Read skipped = read(config(csvStream(""), "unreadable_files", "skip"), SyncMode.INCREMENTAL_APPEND, Map.of());
        assertThat(skipped.warnings()).singleElement().asString().contains("zbroken.csv.gz").contains("skipped");
        assertThat(skipped.rows().stream().map(r -> r[0]).filter(v -> !Long.valueOf(7).equals(v)).toList()).containsExactly(1L, 2L, 3L);
        long beforeTheBreak = skipped.rows().stream().filter(r -> Long.valueOf(7).equals(r[0])).count();
        assertThat(beforeTheBreak).as("records of the broken file read before the break").isPositive().isLessThan(50_000);
        assertThat(skipped.warnings().get(0)).contains("after " + beforeTheBreak + " record(s)");
        assertThat((Map<?, ?>) skipped.checkpoint().get("files")).as("the skipped file is remembered").hasSize(3);
        assertThat(read(config(csvStream(""), "unreadable_files", "skip"), SyncMode.INCREMENTAL_APPEND, skipped.checkpoint()).rows()).isEmpty();
    }

    @Test
    void filesAddedDuringARead_areTakenByTheNextIncrementalRead_andEachFileIsReadOnce() {
        FileFixtures.write(root, "in/1.csv", "id\n1\n2\n", T0);
        ConnectorConfig config = config(csvStream(""));
        Map<String, Object> state;
        List<Object> first = new ArrayList<>();
        try (StreamReader reader = source.read(config, new ReadRequest("s", List.of(), SyncMode.INCREMENTAL_APPEND, FileSource.LAST_MODIFIED,
                List.of(), Map.of(), 1000))) {
            FileFixtures.write(root, "in/2.csv", "id\n3\n", T0.plusSeconds(5));
            RecordBatch batch;
            state = Map.of();
            while ((batch = reader.next()) != null) {
                batch.rows().forEach(r -> first.add(r[0]));
                state = batch.checkpoint();
            }
        }
        assertThat(first).containsExactly(1L, 2L);
        Read second = read(config, SyncMode.INCREMENTAL_APPEND, state);
        assertThat(second.rows()).extracting(r -> r[0]).containsExactly(3L);
        Read third = read(config, SyncMode.INCREMENTAL_APPEND, second.checkpoint());
        assertThat(third.rows()).isEmpty();
    }

    @Test
    void aModifiedFileIsReadAgainOrIgnoredPerPolicy() {
        FileFixtures.write(root, "in/1.csv", "id\n1\n", T0);
        Read first = read(config(csvStream("")), SyncMode.INCREMENTAL_APPEND, Map.of());
        FileFixtures.write(root, "in/1.csv", "id\n1\n2\n", T0.plusSeconds(60));

        Read ignored = read(config(csvStream(""), "modified_files", "ignore"), SyncMode.INCREMENTAL_APPEND, first.checkpoint());
        assertThat(ignored.rows()).isEmpty();
        assertThat(ignored.warnings()).singleElement().asString().contains("1.csv").contains("modified_files: ignore");

        Read again = read(config(csvStream("")), SyncMode.INCREMENTAL_APPEND, first.checkpoint());
        assertThat(again.rows()).extracting(r -> r[0]).containsExactly(1L, 2L);
        assertThat(again.value(0, FileSource.LAST_MODIFIED)).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void jsonLinesThatAreNotObjectsAreKeptAsRecordsWithAChange() {
        FileFixtures.write(root, "in/e.jsonl", "{\"id\":1,\"n\":{\"deep\":[1]}}\nnot json\n{\"id\":2}\n", T0);
        Read read = read(config("- name: s\n  globs: [\"in/*.jsonl\"]\n  format: jsonl\n"), SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(read.rows()).hasSize(3);
        assertThat(read.value(0, "n")).isEqualTo("{\"deep\":[1]}");
        assertThat(read.schema().field("n").orElseThrow().type()).isEqualTo(FieldType.JSON);
        assertThat(read.changes().get(1)).containsExactly(new FieldChange(JsonLinesRows.RECORD, FieldChange.NULLED, FieldChange.SOURCE_SERIALIZATION_ERROR));
        assertThat(read.value(2, "id")).isEqualTo(2L);
    }

    @Test
    void theHistoryIsBoundedAndFilesOlderThanTheForgottenOnesAreNotReadAgain() {
        for (int i = 0; i < 105; i++) {
            FileFixtures.write(root, "in/f" + i + ".csv", "id\n" + i + "\n", T0.plusSeconds(i));
        }
        Read first = read(config(csvStream(""), "max_history_files", 100), SyncMode.INCREMENTAL_APPEND, Map.of());
        assertThat(first.rows()).hasSize(105);
        assertThat((Map<?, ?>) first.checkpoint().get("files")).hasSize(100);
        assertThat(read(config(csvStream(""), "max_history_files", 100), SyncMode.INCREMENTAL_APPEND, first.checkpoint()).rows()).isEmpty();
    }

    @Test
    void filesSharingAModificationTimeAreAllReadWhenTheHistoryIsFullAndASyncIsInterrupted() {
        for (int i = 0; i < 150; i++) {
            FileFixtures.write(root, "in/f" + String.format("%03d", i) + ".csv", "id\n" + i + "\n", T0); // one second for all
        }
        ConnectorConfig config = config(csvStream(""), "max_history_files", 100);
        // interrupted after 120 files: the checkpoint after the 120th file is committed, then the sync stops
        Map<String, Object> committed = Map.of();
        List<Object> delivered = new ArrayList<>();
        try (StreamReader reader = source.read(config, new ReadRequest("s", List.of(), SyncMode.INCREMENTAL_APPEND, FileSource.LAST_MODIFIED,
                List.of(), Map.of(), 1000))) {
            for (int n = 0; n < 120; n++) {
                RecordBatch batch = reader.next();
                batch.rows().forEach(r -> delivered.add(r[0]));
                committed = batch.checkpoint();
            }
        }
        Read rest = read(config, SyncMode.INCREMENTAL_APPEND, committed);
        rest.rows().forEach(r -> delivered.add(r[0]));
        assertThat(delivered).hasSize(150).doesNotHaveDuplicates();
        assertThat(read(config, SyncMode.INCREMENTAL_APPEND, rest.checkpoint()).rows()).isEmpty();
    }

    @Test
    void aFileChangedWhileASyncReadItIsReadAgainWholeOrLeftPerPolicy() {
        FileFixtures.write(root, "in/log.csv", "id\n" + "1\n".repeat(10), T0);
        ConnectorConfig config = config(csvStream(""));
        Map<String, Object> committed;
        try (StreamReader reader = source.read(config, new ReadRequest("s", List.of(), SyncMode.INCREMENTAL_APPEND, FileSource.LAST_MODIFIED,
                List.of(), Map.of(), 4))) {
            committed = reader.next().checkpoint(); // 4 of 10 rows durable, then the sync stops
        }
        FileFixtures.write(root, "in/log.csv", "id\n" + "1\n".repeat(10) + "2\n", T0.plusSeconds(30));
        Read ignored = read(config(csvStream(""), "modified_files", "ignore"), SyncMode.INCREMENTAL_APPEND, committed);
        assertThat(ignored.rows()).isEmpty();
        assertThat(ignored.warnings()).singleElement().asString().contains("log.csv");
        Read again = read(config, SyncMode.INCREMENTAL_APPEND, committed);
        assertThat(again.rows()).as("reingest: the changed file whole").hasSize(11);
    }

    @Test
    void hugeExponentsAndOutOfRangeNumbersAreNulledWithAChangeInsteadOfExhaustingMemory() {
        FileFixtures.write(root, "in/n.csv", "id,amount,ratio\n1,1e999999999,1e999\n2,9e-999999999,0.5\n3,12.50,1.5\n", T0);
        Read read = read(config(csvStream("  schema:\n    amount: \"decimal(12,2)\"\n    ratio: number\n")), SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(read.value(0, "amount")).isNull();
        assertThat(read.value(0, "ratio")).isNull();
        assertThat(read.changes().get(0)).extracting(FieldChange::field).containsExactly("amount", "ratio");
        assertThat(read.value(1, "amount")).isNull();
        assertThat(read.value(2, "amount")).isEqualTo(new BigDecimal("12.50"));
    }

    @Test
    void impossibleCalendarDatesAreNotClampedAndJsonDecimalsStayExact() {
        FileFixtures.write(root, "in/d.csv", "at\n2023-02-30 10:00:00\n2023-02-28 10:00:00\n", T0);
        Read dates = read(config(csvStream("  schema: {at: timestamp}\n")), SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(dates.value(0, "at")).isNull();
        assertThat(dates.changes()).containsKey(0);
        assertThat(dates.value(1, "at")).isEqualTo(java.time.LocalDateTime.parse("2023-02-28T10:00:00"));

        FileFixtures.write(root, "j/a.jsonl", "{\"amount\": 1234567890123456.78, \"ratio\": 0.1}\n", T0);
        Read json = read(config("- name: s\n  globs: [\"j/*.jsonl\"]\n  format: jsonl\n  schema:\n    amount: \"decimal(18,2)\"\n"),
                SyncMode.FULL_REFRESH_APPEND, Map.of());
        assertThat(json.value(0, "amount")).isEqualTo(new BigDecimal("1234567890123456.78"));
        assertThat(json.value(0, "ratio")).isEqualTo(0.1);
        assertThat(json.schema().field("ratio").orElseThrow().type()).isEqualTo(FieldType.FLOAT64);
    }

    @Test
    void aJsonFileHoldingSeveralDocumentsIsNotReadAsItsFirstOne() {
        FileFixtures.write(root, "j/lines.json", "{\"id\":1}\n{\"id\":2}\n", T0);
        assertThatThrownBy(() -> read(config("- name: s\n  globs: [\"j/*.json\"]\n  format: json\n  schema: {id: integer}\n"),
                SyncMode.INCREMENTAL_APPEND, Map.of()))
                .hasMessageContaining("lines.json").hasMessageContaining("format jsonl");
    }

    @Test
    void badStreamDeclarationsNameTheFieldTheValueAndTheFix() {
        assertThatThrownBy(() -> FileSourceConfig.from(config("- name: s\n  globs: [\"a/*\"]\n  format: csv\n  header: false\n")))
                .hasMessageContaining("streams[0].column_names").hasMessageContaining("without header");
        assertThatThrownBy(() -> FileSourceConfig.from(config("- name: s\n  globs: [\"a/*\"]\n  format: jsonl\n  delimiter: \";\"\n")))
                .hasMessageContaining("streams[0].delimiter").hasMessageContaining("only CSV");
        assertThatThrownBy(() -> FileSourceConfig.from(config("- name: s\n  globs: [\"a/*\"]\n  format: csv\n  encoding: klingon\n")))
                .hasMessageContaining("streams[0].encoding").hasMessageContaining("'klingon'");
        assertThatThrownBy(() -> FileSourceConfig.from(config("- name: s\n  glob: [\"a/*\"]\n  format: csv\n")))
                .hasMessageContaining("streams[0].glob").hasMessageContaining("unknown key");
        assertThatThrownBy(() -> FileSourceConfig.from(config("- name: s\n  globs: [\"a/*\"]\n  format: csv\n  schema:\n    x: money\n")))
                .hasMessageContaining("streams[0].schema.x").hasMessageContaining("'money'");
    }
}
