package dev.caravan.source.cdc;

import dev.caravan.spi.Field;
import dev.caravan.spi.Schema;
import java.time.Instant;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns Debezium change events of one table into rows of the stream's schema: the row image after the change (before it,
 * for a delete) and the CDC columns. Snapshot reads and inserts/updates carry {@code _ab_cdc_deleted_at = null}.
 */
final class ChangeRows {
    private final Schema schema;

    ChangeRows(Schema schema) {
        this.schema = schema;
    }

    /** The row of a data change event, or null for an event that carries no row (truncate, schema change, message). */
    Object[] row(SourceRecord record) {
        if (!(record.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
            return null;
        }
        String op = envelope.getString("op");
        boolean delete = "d".equals(op);
        if (!delete && !"c".equals(op) && !"u".equals(op) && !"r".equals(op)) {
            return null;
        }
        Struct image = delete ? envelope.getStruct("before") : envelope.getStruct("after");
        Struct source = envelope.getStruct("source");
        Instant committed = source.get("ts_ms") instanceof Number ms ? Instant.ofEpochMilli(ms.longValue()) : null;
        Object[] row = new Object[schema.size()];
        for (int i = 0; i < row.length; i++) {
            Field field = schema.field(i);
            switch (field.name()) {
                case CdcColumns.LSN -> row[i] = sourceField(source, "lsn");
                case CdcColumns.LOG_FILE -> row[i] = sourceField(source, "file");
                case CdcColumns.LOG_POS -> row[i] = sourceField(source, "pos");
                case CdcColumns.UPDATED_AT -> row[i] = committed;
                case CdcColumns.DELETED_AT -> row[i] = delete ? committed : null;
                default -> {
                    org.apache.kafka.connect.data.Field column = image == null ? null : image.schema().field(field.name());
                    row[i] = column == null ? null : ChangeValues.convert(image.get(column), column.schema(), field.type());
                }
            }
        }
        return row;
    }

    /** When the source committed the change of {@code record} (epoch millis), or 0 when it does not say. */
    static long committedAtMillis(SourceRecord record) {
        if (record.value() instanceof Struct envelope && envelope.schema().field("source") != null
                && envelope.get("source") instanceof Struct source && source.schema().field("ts_ms") != null
                && source.get("ts_ms") instanceof Number ms) {
            return ms.longValue();
        }
        return 0;
    }

    private static Object sourceField(Struct source, String name) {
        return source.schema().field(name) == null ? null : source.get(name);
    }
}
