package dev.caravan.source.jdbc;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the database's catalog: every table and view of the configured schemas as a stream, or the one table of a stream. */
final class JdbcCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCatalog.class);

    private JdbcCatalog() {
    }

    /** The schemas to offer: the configured ones, or every non-system schema. */
    static List<String> schemas(Connection connection, JdbcDialect dialect, JdbcSettings settings) throws SQLException {
        return settings.schemas().isEmpty() ? dialect.allSchemas(connection) : settings.schemas();
    }

    static Catalog discover(Connection connection, JdbcDialect dialect, JdbcSettings settings) throws SQLException {
        List<CatalogStream> streams = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String schema : schemas(connection, dialect, settings)) {
            Map<String, List<ColumnInfo>> columns = dialect.columns(connection, schema);
            for (TableRef ref : dialect.tables(connection, schema)) {
                List<ColumnInfo> tableColumns = columns.getOrDefault(ref.name(), List.of());
                if (tableColumns.isEmpty()) {
                    LOG.debug("Skipping {}: no readable columns", ref);
                    continue;
                }
                if (!names.add(ref.streamName())) {
                    LOG.warn("Skipping {}.{}: its stream name {} is taken by another table (names differ only in '/', '\\' or control "
                            + "characters)", ref.schema(), ref.name(), ref.streamName());
                    continue;
                }
                List<String> key = "VIEW".equals(ref.kind()) ? List.of() : dialect.primaryKey(connection, ref);
                streams.add(JdbcTable.of(ref, tableColumns, key, dialect).catalogStream());
            }
        }
        return new Catalog(streams);
    }

    /** The table behind {@code stream}; a CONFIG error naming the stream, schemas and server when there is none. */
    static JdbcTable table(Connection connection, JdbcDialect dialect, JdbcSettings settings, String stream) throws SQLException {
        List<String> schemas = schemas(connection, dialect, settings);
        for (String schema : schemas) {
            if (!stream.startsWith(StreamNames.of(schema, ""))) {
                continue;
            }
            for (TableRef ref : dialect.tables(connection, schema)) {
                if (ref.streamName().equals(stream)) {
                    List<ColumnInfo> columns = dialect.columns(connection, ref);
                    if (columns.isEmpty()) {
                        break;
                    }
                    List<String> key = "VIEW".equals(ref.kind()) ? List.of() : dialect.primaryKey(connection, ref);
                    return JdbcTable.of(ref, columns, key, dialect);
                }
            }
        }
        throw CaravanException.config("Stream '" + stream + "' not found in " + settings.target() + " (schemas " + String.join(", ", schemas)
                + "): its table or view does not exist or is not readable — it may have been dropped or renamed. "
                + "Fix: run discover and update the connection's streams, or restore the table.");
    }
}
