package dev.caravan.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flattening JSON object columns into parent_child columns, without a source. */
class JsonFlattenerTest {
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT32), Field.nullable("doc", FieldType.JSON),
            Field.nullable("note", FieldType.STRING)));

    private static RecordBatch batch(Object[]... rows) {
        return new RecordBatch(SCHEMA, List.of(rows), Map.of("cursor", 1));
    }

    @Test
    void flattensObjectsToTheDepthLimitAndKeepsTheJsonColumn() {
        JsonFlattener depth2 = new JsonFlattener(2);
        RecordBatch out = depth2.apply(batch(new Object[] {1, "{\"a\": 1, \"b\": {\"c\": true, \"d\": {\"e\": 1}}, \"f\": [1, 2]}", "x"},
                new Object[] {2, null, "{\"not\": \"flattened: not every value is an object\"}"}, new Object[] {3, "{\"a\": 2.5}", "plain"}));
        assertThat(out.schema().names()).containsExactly("id", "doc", "note", "doc_a", "doc_b_c", "doc_b_d", "doc_f");
        assertThat(out.schema().field("doc_a").orElseThrow().type()).isEqualTo(FieldType.FLOAT64);
        assertThat(out.schema().field("doc_b_c").orElseThrow().type()).isEqualTo(FieldType.BOOLEAN);
        assertThat(out.schema().field("doc_b_d").orElseThrow().type()).isEqualTo(FieldType.JSON);
        assertThat(out.rows().get(0)).containsExactly(1, "{\"a\": 1, \"b\": {\"c\": true, \"d\": {\"e\": 1}}, \"f\": [1, 2]}", "x", 1.0, true, "{\"e\":1}", "[1,2]");
        assertThat(out.rows().get(1)).containsExactly(2, null, "{\"not\": \"flattened: not every value is an object\"}", null, null, null, null);
        assertThat(out.rows().get(2)[3]).isEqualTo(2.5);
        assertThat(out.checkpoint()).isEqualTo(Map.of("cursor", 1));

        RecordBatch depth1 = new JsonFlattener(1).apply(batch(new Object[] {1, "{\"b\": {\"c\": true}}", null}));
        assertThat(depth1.schema().names()).containsExactly("id", "doc", "note", "doc_b");
    }

    @Test
    void laterBatchesKeepTheColumnsOfTheFirstNullAMismatchAndNoteNewKeys() {
        JsonFlattener flattener = new JsonFlattener(3);
        assertThat(flattener.apply(batch()).schema()).as("no rows: nothing to learn from yet").isEqualTo(SCHEMA);
        RecordBatch first = flattener.apply(batch(new Object[] {1, "{\"n\": 1, \"s\": \"a\"}", null}));
        RecordBatch second = flattener.apply(batch(new Object[] {2, "{\"n\": \"two\", \"s\": 3, \"extra\": 1}", null}));
        assertThat(second.schema()).isEqualTo(first.schema());
        assertThat(second.rows().get(0)).containsExactly(2, "{\"n\": \"two\", \"s\": 3, \"extra\": 1}", null, null, "3");
        assertThat(second.changesOf(0)).containsExactly(new FieldChange("doc_n", FieldChange.NULLED, FieldChange.DESTINATION_SERIALIZATION_ERROR));
        assertThat(flattener.notes()).singleElement().asString().contains("doc_extra");
    }

    @Test
    void aFlattenedNameAColumnHasAlreadyIsNotFlattened() {
        Schema clash = new Schema(List.of(Field.nullable("doc", FieldType.JSON), Field.nullable("doc_a", FieldType.STRING)));
        JsonFlattener flattener = new JsonFlattener(1);
        RecordBatch out = flattener.apply(new RecordBatch(clash, List.<Object[]>of(new Object[] {"{\"a\": 1, \"b\": 2}", "kept"}), Map.of()));
        assertThat(out.schema().names()).containsExactly("doc", "doc_a", "doc_b");
        assertThat(out.rows().get(0)).containsExactly("{\"a\": 1, \"b\": 2}", "kept", 2L);
        assertThat(flattener.notes()).singleElement().asString().contains("doc_a exists already");
    }
}
