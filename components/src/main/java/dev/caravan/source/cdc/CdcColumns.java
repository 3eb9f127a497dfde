package dev.caravan.source.cdc;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata columns every CDC stream carries, named as Airbyte names them: the log position of the change, when the
 * source committed it, and — for a delete — when the row was deleted (null otherwise). A deduplicated destination drops
 * a key whose latest row has {@value #DELETED_AT} set.
 */
public final class CdcColumns {
    public static final String LSN = "_ab_cdc_lsn";
    public static final String UPDATED_AT = "_ab_cdc_updated_at";
    public static final String DELETED_AT = "_ab_cdc_deleted_at";
    /** Binlog sources: the file and position of the change's transaction (Airbyte's names). */
    public static final String LOG_FILE = "_ab_cdc_log_file";
    public static final String LOG_POS = "_ab_cdc_log_pos";

    public static final List<Field> BINLOG_FIELDS = List.of(Field.nullable(LOG_FILE, FieldType.STRING), Field.nullable(LOG_POS, FieldType.INT64),
            Field.nullable(UPDATED_AT, FieldType.TIMESTAMP_TZ), Field.nullable(DELETED_AT, FieldType.TIMESTAMP_TZ));

    public static final List<Field> FIELDS = List.of(Field.nullable(LSN, FieldType.INT64), Field.nullable(UPDATED_AT, FieldType.TIMESTAMP_TZ),
            Field.nullable(DELETED_AT, FieldType.TIMESTAMP_TZ));

    private CdcColumns() {
    }

    public static boolean isCdcColumn(String name) {
        return name.equals(LSN) || name.equals(UPDATED_AT) || name.equals(DELETED_AT) || name.equals(LOG_FILE) || name.equals(LOG_POS);
    }

    /** The tables of {@code tables} with a primary key, each with the CDC columns {@code fields} and {@code cursor} as cursor. */
    static Catalog streamsOf(Catalog tables, List<Field> fields, String cursor) {
        List<CatalogStream> streams = new ArrayList<>();
        for (CatalogStream table : tables.streams()) {
            if (table.primaryKey().isEmpty()) {
                continue;
            }
            List<Field> all = new ArrayList<>(table.schema().fields());
            all.addAll(fields);
            streams.add(new CatalogStream(table.name(), new Schema(all), List.of(SyncMode.INCREMENTAL_APPEND, SyncMode.INCREMENTAL_APPEND_DEDUPED),
                    table.primaryKey(), List.of(cursor), cursor));
        }
        return new Catalog(streams);
    }
}
