package dev.caravan.e2e;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A route step for tests that turns faker users (id, name, updated_at) into a change feed of {@value #KEYS} keys: row
 * {@code id} updates key {@code (id - 1) % KEYS + 1}, and every {@value #DELETE_EVERY}th row deletes its key
 * ({@code _caravan_deleted = true}). The source row id is kept as {@code source_id}.
 */
public class UserChanges {
    static final int KEYS = 700;
    static final int DELETE_EVERY = 9;
    static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.required("source_id", FieldType.INT64),
            Field.nullable("name", FieldType.STRING), Field.nullable("updated_at", FieldType.TIMESTAMP_TZ),
            Field.nullable("_caravan_deleted", FieldType.BOOLEAN)));

    public RecordBatch apply(RecordBatch batch) {
        Schema in = batch.schema();
        int id = in.indexOf("id");
        int name = in.indexOf("name");
        int updatedAt = in.indexOf("updated_at");
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (Object[] row : batch.rows()) {
            long sourceId = (Long) row[id];
            rows.add(new Object[] {key(sourceId), sourceId, row[name], (Instant) row[updatedAt], deletes(sourceId)});
        }
        return new RecordBatch(SCHEMA, rows, batch.checkpoint());
    }

    static long key(long sourceId) {
        return (sourceId - 1) % KEYS + 1;
    }

    static boolean deletes(long sourceId) {
        return sourceId % DELETE_EVERY == 0;
    }
}
