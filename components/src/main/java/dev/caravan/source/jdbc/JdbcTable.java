package dev.caravan.source.jdbc;

import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.Field;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A table or view with its columns, how each is delivered, and its primary key: one stream. */
public record JdbcTable(TableRef ref, List<ColumnInfo> columns, List<ColumnMapping> mappings, List<String> primaryKey) {
    /** Names a source suggests as default cursor, in order of preference, when the column is a timestamp. */
    private static final List<String> USUAL_CURSORS = List.of("updated_at", "modified_at", "last_modified", "updated", "modified",
            "last_update", "changed_at");

    public JdbcTable {
        columns = List.copyOf(columns);
        mappings = List.copyOf(mappings);
        primaryKey = List.copyOf(primaryKey);
    }

    static JdbcTable of(TableRef ref, List<ColumnInfo> columns, List<String> primaryKey, JdbcDialect dialect) {
        List<ColumnMapping> mappings = new ArrayList<>(columns.size());
        for (ColumnInfo column : columns) {
            mappings.add(dialect.map(column));
        }
        return new JdbcTable(ref, columns, mappings, primaryKey);
    }

    public String streamName() {
        return ref.streamName();
    }

    public Schema schema() {
        List<Field> fields = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            fields.add(new Field(columns.get(i).name(), mappings.get(i).type(), columns.get(i).nullable()));
        }
        return new Schema(fields);
    }

    /** Index of the column named exactly {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Columns usable as incremental cursor: ordered scalars the database compares as it sorts. */
    public List<String> cursorCandidates() {
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (mappings.get(i).orderable() && JdbcDialect.cursorKind(mappings.get(i).type())) {
                candidates.add(columns.get(i).name());
            }
        }
        return candidates;
    }

    public CatalogStream catalogStream() {
        List<SyncMode> modes = primaryKey.isEmpty()
                ? List.of(SyncMode.FULL_REFRESH_OVERWRITE, SyncMode.FULL_REFRESH_APPEND, SyncMode.INCREMENTAL_APPEND)
                : List.of(SyncMode.values());
        return new CatalogStream(streamName(), schema(), modes, primaryKey, cursorCandidates(), defaultCursor());
    }

    private String defaultCursor() {
        List<String> candidates = cursorCandidates();
        for (String usual : USUAL_CURSORS) {
            for (String candidate : candidates) {
                int i = indexOf(candidate);
                boolean temporal = switch (mappings.get(i).type().kind()) {
                    case TIMESTAMP, TIMESTAMP_TZ, DATE -> true;
                    default -> false;
                };
                if (temporal && candidate.toLowerCase(Locale.ROOT).equals(usual)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
