package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values that cannot be written exactly become null and are reported in _airbyte_meta, beside the source's changes. */
class ParquetFieldChangesTest {
    private static final String NULLED_BY_US = "\"change\":\"NULLED\",\"reason\":\"DESTINATION_SERIALIZATION_ERROR\"}";

    @TempDir
    Path dir;

    @Test
    void decimalsThatWouldRoundOrOverflowAreNulledAndReported() throws Exception {
        Schema schema = new Schema(List.of(Field.nullable("id", FieldType.INT32), Field.nullable("small", FieldType.decimal(5, 2)),
                Field.nullable("big", FieldType.decimal(30, 4))));
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {0, new BigDecimal("999.99"), new BigDecimal("12345678901234567890123456.1234")});
        rows.add(new Object[] {1, new BigDecimal("1000.00"), new BigDecimal("123456789012345678901234567.1234")}); // both overflow precision
        rows.add(new Object[] {2, new BigDecimal("1.234"), new BigDecimal("1.23456")}); // both would round
        rows.add(new Object[] {3, new BigDecimal("1.230"), new BigDecimal("-1E+3")}); // trailing zero and negative scale are exact
        rows.add(new Object[] {4, Double.NaN, 0.1d}); // NaN has no decimal; 0.1 is 0.1000

        List<List<Object>> back = writeAndRead(schema, rows, Map.of(), "select id, small, big, _airbyte_meta from %s order by id");

        assertThat(back.get(0)).containsExactly(0, new BigDecimal("999.99"), new BigDecimal("12345678901234567890123456.1234"), noChanges());
        assertThat(back.get(1)).containsExactly(1, null, null,
                "{\"sync_id\":5,\"changes\":[{\"field\":\"small\"," + NULLED_BY_US + ",{\"field\":\"big\"," + NULLED_BY_US + "]}");
        assertThat(back.get(2)).containsExactly(2, null, null,
                "{\"sync_id\":5,\"changes\":[{\"field\":\"small\"," + NULLED_BY_US + ",{\"field\":\"big\"," + NULLED_BY_US + "]}");
        assertThat(back.get(3)).containsExactly(3, new BigDecimal("1.23"), new BigDecimal("-1000.0000"), noChanges());
        assertThat(back.get(4)).containsExactly(4, null, new BigDecimal("0.1000"),
                "{\"sync_id\":5,\"changes\":[{\"field\":\"small\"," + NULLED_BY_US + "]}");
    }

    @Test
    void decimalsAtTheColumnsScaleAreCheckedAgainstItsPrecisionToTheLastDigit() throws Exception {
        Schema schema = new Schema(List.of(Field.nullable("id", FieldType.INT32), Field.nullable("d", FieldType.decimal(5, 2)),
                Field.nullable("d18", FieldType.decimal(18, 0))));
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {0, new BigDecimal("-999.99"), new BigDecimal("999999999999999999")});
        rows.add(new Object[] {1, new BigDecimal("-1000.00"), new BigDecimal("1000000000000000000")}); // one digit too many
        rows.add(new Object[] {2, new BigDecimal("92233720368547758.07"), new BigDecimal("-9223372036854775808")}); // a long, not 18 digits
        rows.add(new Object[] {3, new BigDecimal("123456789012345678901.00"), new BigDecimal("-999999999999999999")}); // beyond a long
        rows.add(new Object[] {4, new BigDecimal("0.00"), new BigDecimal("0")});

        List<List<Object>> back = writeAndRead(schema, rows, Map.of(), "select id, d, d18, _airbyte_meta from %s order by id");

        assertThat(back.get(0)).containsExactly(0, new BigDecimal("-999.99"), new BigDecimal("999999999999999999"), noChanges());
        String both = "{\"sync_id\":5,\"changes\":[{\"field\":\"d\"," + NULLED_BY_US + ",{\"field\":\"d18\"," + NULLED_BY_US + "]}";
        assertThat(back.get(1)).containsExactly(1, null, null, both);
        assertThat(back.get(2)).containsExactly(2, null, null, both);
        assertThat(back.get(3)).containsExactly(3, null, new BigDecimal("-999999999999999999"),
                "{\"sync_id\":5,\"changes\":[{\"field\":\"d\"," + NULLED_BY_US + "]}");
        assertThat(back.get(4)).containsExactly(4, new BigDecimal("0.00"), new BigDecimal("0"), noChanges());
    }

    @Test
    void sourceChangesComeFirstAndNamesAreEscaped() throws Exception {
        Schema schema = new Schema(List.of(Field.nullable("id", FieldType.INT32), Field.nullable("we\"ird\\name", FieldType.INT32),
                Field.nullable("note", FieldType.STRING)));
        List<Object[]> rows = List.of(new Object[] {0, 1L << 40, "truncated text"}, new Object[] {1, 5, "fine"});
        Map<Integer, List<FieldChange>> changes = Map.of(0,
                List.of(new FieldChange("note", FieldChange.TRUNCATED, "DESTINATION_FIELD_SIZE_LIMITATION")));

        List<List<Object>> back = writeAndRead(schema, rows, changes,
                "select id, \"we\"\"ird\\name\", note, _airbyte_meta, json_valid(_airbyte_meta) from %s order by id");

        assertThat(back.get(0)).containsExactly(0, null, "truncated text",
                "{\"sync_id\":5,\"changes\":[{\"field\":\"note\",\"change\":\"TRUNCATED\",\"reason\":\"DESTINATION_FIELD_SIZE_LIMITATION\"},"
                        + "{\"field\":\"we\\\"ird\\\\name\"," + NULLED_BY_US + "]}", true);
        assertThat(back.get(1)).containsExactly(1, 5, "fine", noChanges(), true);
    }

    @Test
    void textWithoutAUtf8FormIsNulledAndTheRestIsExact() throws Exception {
        Schema schema = new Schema(List.of(Field.nullable("id", FieldType.INT32), Field.nullable("s", FieldType.STRING)));
        List<Object[]> rows = List.<Object[]>of(new Object[] {0, "lone \uD800 surrogate?"}, new Object[] {1, "pair \uD83D\uDE00 and a ?"},
                new Object[] {2, "caf\u00e9 \u4e2d\u6587"}, new Object[] {3, "trailing high \uD83D"});

        List<List<Object>> back = writeAndRead(schema, rows, Map.of(), "select id, s, _airbyte_meta from %s order by id");

        assertThat(back.get(0)).containsExactly(0, null, "{\"sync_id\":5,\"changes\":[{\"field\":\"s\"," + NULLED_BY_US + "]}");
        assertThat(back.get(1)).containsExactly(1, "pair \uD83D\uDE00 and a ?", noChanges());
        assertThat(back.get(2)).containsExactly(2, "caf\u00e9 \u4e2d\u6587", noChanges());
        assertThat(back.get(3)).containsExactly(3, null, "{\"sync_id\":5,\"changes\":[{\"field\":\"s\"," + NULLED_BY_US + "]}");
    }

    @Test
    void valuesOfTheWrongClassAreNulledNotFatal() throws Exception {
        Schema schema = new Schema(List.of(Field.nullable("id", FieldType.INT32), Field.nullable("n", FieldType.INT64),
                Field.nullable("s", FieldType.STRING), Field.nullable("d", FieldType.DATE), Field.nullable("b", FieldType.BOOLEAN)));
        List<Object[]> rows = List.<Object[]>of(new Object[] {0, 1.5d, 42, "2024-01-01", "true"},
                new Object[] {1, new BigDecimal("9223372036854775808"), "ok", LocalDate.of(2024, 1, 1), true});

        List<List<Object>> back = writeAndRead(schema, rows, Map.of(), "select id, n, s, cast(d as varchar), b, _airbyte_meta from %s order by id");

        assertThat(back.get(0).subList(0, 5)).containsExactly(0, null, null, null, null);
        assertThat((String) back.get(0).get(5)).contains("\"field\":\"n\"", "\"field\":\"s\"", "\"field\":\"d\"", "\"field\":\"b\"");
        assertThat(back.get(1)).containsExactly(1, null, "ok", "2024-01-01", true,
                "{\"sync_id\":5,\"changes\":[{\"field\":\"n\"," + NULLED_BY_US + "]}");
    }

    @Test
    void exactNumericConversions() {
        assertThat(ExactNumbers.isExactLong(3.0d)).isTrue();
        assertThat(ExactNumbers.isExactLong(3.5d)).isFalse();
        assertThat(ExactNumbers.isExactLong(0x1p63)).isFalse();
        assertThat(ExactNumbers.isExactLong(new BigDecimal("12.000"))).isTrue();
        assertThat(ExactNumbers.toLong(new BigDecimal("12.000"))).isEqualTo(12L);
        assertThat(ExactNumbers.isExactLong(BigInteger.ONE.shiftLeft(63))).isFalse();
        assertThat(ExactNumbers.isExactLong(new java.util.concurrent.atomic.AtomicLong(5))).isTrue();
        assertThat(ExactNumbers.bytesForPrecision(19)).isEqualTo(9);
        assertThat(ExactNumbers.bytesForPrecision(38)).isEqualTo(16);
        assertThat(ExactNumbers.toScale(new BigDecimal("1.005"), 5, 2)).isNull();
        assertThat(ExactNumbers.toScale(new BigDecimal("1.5"), 5, 2)).isEqualTo(new BigDecimal("1.50"));
    }

    private static String noChanges() {
        return "{\"sync_id\":5,\"changes\":[]}";
    }

    private List<List<Object>> writeAndRead(Schema schema, List<Object[]> rows, Map<Integer, List<FieldChange>> changes, String query) throws Exception {
        TestingLake lake = new TestingLake(dir);
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, TestingLake.request("changes", SyncMode.FULL_REFRESH_APPEND, schema, 5))) {
            writer.write(TestingLake.batch(schema, rows, changes));
            writer.commit();
        }
        try (TestingDuckDb duck = new TestingDuckDb()) {
            return duck.rows(query.replace("%s", TestingDuckDb.parquet(dir.resolve("raw"))));
        }
    }
}
