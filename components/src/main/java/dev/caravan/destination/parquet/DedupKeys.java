package dev.caravan.destination.parquet;

import dev.caravan.spi.CaravanException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The primary key and delete markers of a deduplicated stream, over physical rows (see {@link ParquetRowReader}).
 *
 * <p>Rows are ordered by their key values column by column: nulls first, numbers by value, strings and other
 * binaries by unsigned bytes. The order only has to be total and the same everywhere (runs, snapshot files), not
 * meaningful. A row is a delete when the stream has a column {@value #CDC_DELETED_AT} holding any value (Airbyte's
 * CDC convention) or a BOOLEAN column {@value #CARAVAN_DELETED} holding true.
 */
final class DedupKeys implements Comparator<Object[]> {
    static final String CDC_DELETED_AT = "_ab_cdc_deleted_at";
    static final String CARAVAN_DELETED = "_caravan_deleted";

    private final int[] keyColumns;
    private final int cdcDeletedAt;
    private final int caravanDeleted;
    private final List<String> keyNames;

    private DedupKeys(int[] keyColumns, List<String> keyNames, int cdcDeletedAt, int caravanDeleted) {
        this.keyColumns = keyColumns;
        this.keyNames = keyNames;
        this.cdcDeletedAt = cdcDeletedAt;
        this.caravanDeleted = caravanDeleted;
    }

    /** The keys of {@code schema}; a missing or empty primary key is a configuration error. */
    static DedupKeys of(MessageType schema, List<String> primaryKey, String stream) {
        List<String> missing = new ArrayList<>();
        int[] columns = new int[primaryKey.size()];
        for (int i = 0; i < columns.length; i++) {
            String name = primaryKey.get(i);
            columns[i] = schema.containsField(name) ? schema.getFieldIndex(name) : -1;
            if (columns[i] < 0 || RowEncoder.METADATA_COLUMNS.contains(name)) {
                missing.add(name);
            }
        }
        if (primaryKey.isEmpty() || !missing.isEmpty()) {
            throw CaravanException.config("Stream " + stream + " cannot be deduplicated: "
                    + (primaryKey.isEmpty() ? "it has no primary key" : "its primary key field(s) " + missing + " are not among the selected fields")
                    + ". Fix: set primary_key to fields the stream selects, or use sync mode incremental_append.");
        }
        int deletedAt = schema.containsField(CDC_DELETED_AT) ? schema.getFieldIndex(CDC_DELETED_AT) : -1;
        int deleted = -1;
        if (schema.containsField(CARAVAN_DELETED)) {
            deleted = schema.getFieldIndex(CARAVAN_DELETED);
            if (schema.getType(deleted).asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BOOLEAN) {
                throw CaravanException.config("Stream " + stream + " has a field " + CARAVAN_DELETED + " that is not a boolean; it marks deleted rows."
                        + " Fix: make it a boolean (true = the row was deleted) or rename it.");
            }
        }
        return new DedupKeys(columns, List.copyOf(primaryKey), deletedAt, deleted);
    }

    List<String> keyNames() {
        return keyNames;
    }

    boolean isDelete(Object[] row) {
        return (cdcDeletedAt >= 0 && row[cdcDeletedAt] != null) || (caravanDeleted >= 0 && Boolean.TRUE.equals(row[caravanDeleted]));
    }

    @Override
    public int compare(Object[] a, Object[] b) {
        for (int column : keyColumns) {
            int c = compareValues(a[column], b[column]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compareValues(Object x, Object y) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        if (x instanceof Long l) {
            return Long.compare(l, (Long) y);
        }
        if (x instanceof Integer i) {
            return Integer.compare(i, (Integer) y);
        }
        if (x instanceof Binary bin) {
            return Binary.lexicographicCompare(bin, (Binary) y);
        }
        if (x instanceof Boolean bool) {
            return Boolean.compare(bool, (Boolean) y);
        }
        if (x instanceof Float f) {
            return Float.compare(f, (Float) y);
        }
        if (x instanceof Double d) {
            return Double.compare(d, (Double) y);
        }
        throw new IllegalArgumentException("not a physical Parquet value: " + x.getClass().getName());
    }
}
