package dev.caravan.source.cdc;

import dev.caravan.source.jdbc.JdbcOptions;
import dev.caravan.source.jdbc.StreamNames;
import dev.caravan.source.jdbc.postgres.PostgresSource;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ErrorClassifier;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL change data capture: every table with a primary key of the configured schemas is a stream
 * {@code schema.table} read from the write-ahead log by Debezium (pgoutput plugin): an initial snapshot, then the
 * changes, with the CDC columns of {@link CdcColumns}. Each stream has its own replication slot and publication,
 * named by {@link PgCdcSettings#slotName}. The state of a stream is the Debezium offset of its last durable change.
 */
public final class PostgresCdcSource implements SourceConnector {
    static final ConfigOption PORT = JdbcOptions.port(5432);
    static final ConfigOption SCHEMAS = JdbcOptions.schemas("public",
            "Comma-separated schemas whose tables with a primary key become streams.");
    static final ConfigOption SSL_MODE = JdbcOptions.sslMode("prefer",
            "TLS: disable, prefer, require, verify-ca or verify-full (as the PostgreSQL source).", "disable", "prefer", "require", "verify-ca",
            "verify-full");
    static final ConfigOption SLOT_PREFIX = ConfigOption.string("slot_prefix").withDefault("caravan")
            .withDescription("Prefix of the replication slots and publications Caravan creates, one per stream: <prefix>_<schema>_<table>. "
                    + "Give each connection reading the same database its own prefix.");
    static final ConfigOption HEARTBEAT_SECONDS = ConfigOption.integer("heartbeat_interval_seconds").withDefault(30L).withRange(1, 3600)
            .withDescription("Seconds between Debezium heartbeat events while a sync streams. (What moves an idle table's offset "
                    + "forward is the catch-up marker every sync writes, so the next sync lets the server recycle the log.)");
    static final ConfigOption IDLE_SECONDS = ConfigOption.integer("idle_seconds").withDefault(5L).withRange(1, 3600)
            .withDescription("A scheduled sync ends when the server has sent the log up to where it was at the sync's start, or when no "
                    + "change of the table arrived for this many seconds while streaming.");

    public static final ConnectorSpec SPEC = new ConnectorSpec("postgres-cdc", ConnectorSpec.ConnectorKind.SOURCE, "PostgreSQL CDC",
            List.of(JdbcOptions.HOST, PORT, JdbcOptions.DATABASE, SCHEMAS, JdbcOptions.USERNAME, JdbcOptions.PASSWORD, SSL_MODE,
                    JdbcOptions.JDBC_PARAMS, JdbcOptions.FETCH_SIZE, JdbcOptions.CONNECT_TIMEOUT, SLOT_PREFIX, HEARTBEAT_SECONDS, IDLE_SECONDS));

    private final PostgresSource jdbc = new PostgresSource();

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public CheckResult check(ConnectorConfig config) {
        PgCdcSettings settings;
        try {
            settings = PgCdcSettings.of(config);
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        }
        // connection and credentials first (the JDBC source words those failures), then what replication needs, then table access
        List<String> problems = new ArrayList<>();
        try (Connection connection = connect(settings)) {
            PgReplication replication = new PgReplication(connection, settings);
            problems.addAll(replication.problems());
            replication.slotsInUse().forEach(slot -> problems.add(PgReplication.inUseMessage(slot)));
        } catch (SQLException e) {
            CheckResult unreachable = jdbc.check(jdbcConfig(config));
            return unreachable.succeeded() ? CheckResult.failed("Checking replication on " + settings.jdbc().target() + " failed: "
                    + settings.jdbc().scrub(e.getMessage())) : unreachable;
        }
        if (!problems.isEmpty()) {
            return CheckResult.failed(String.join(" ", problems));
        }
        return jdbc.check(jdbcConfig(config));
    }

    @Override
    public Catalog discover(ConnectorConfig config) {
        return CdcColumns.streamsOf(jdbc.discover(jdbcConfig(config)), CdcColumns.FIELDS, CdcColumns.LSN);
    }

    @Override
    public StreamReader read(ConnectorConfig config, ReadRequest request) {
        PgCdcSettings settings = PgCdcSettings.of(config);
        if (!request.syncMode().incremental()) {
            throw CaravanException.config("Stream " + request.stream() + " uses sync mode " + request.syncMode() + ", but the postgres-cdc source "
                    + "reads changes only. Fix: use incremental_append or incremental_append_deduped (cursor_field " + CdcColumns.LSN
                    + "), or the postgres source for full refreshes.");
        }
        try (Connection connection = connect(settings)) {
            PgReplication replication = new PgReplication(connection, settings);
            replication.requireReady();
            CatalogStream stream = discover(config).stream(request.stream()).orElseThrow(() -> CaravanException.config("Stream '" + request.stream()
                    + "' is not a table with a primary key in " + settings.jdbc().target() + " (schemas " + String.join(", ", settings.jdbc().schemas())
                    + "). Fix: run discover and update the connection's streams, or add a primary key to the table."));
            Schema schema = outputSchema(stream.schema(), request.fields());
            String[] table = table(connection, settings, request.stream());
            String slot = settings.slotName(table[0], table[1]);
            Optional<PgReplication.Slot> existing = replication.slot(slot);
            if (existing.isPresent() && existing.get().activePid() != null) {
                throw CaravanException.config(PgReplication.inUseMessage(existing.get()));
            }
            Map<String, Object> offset = CdcOffsets.offset(request.state());
            if (existing.isPresent() && offset.isEmpty()) {
                // A first sync (or one after a reset) starts from a new slot, so the snapshot and the log it continues with agree.
                replication.drop(slot);
            } else if (existing.isPresent()) {
                long durable = Math.max(CdcOffsets.longValue(offset, "lsn_commit"), -1L);
                if (durable > 0) {
                    replication.advance(slot, durable);
                }
            } else if (!offset.isEmpty()) {
                throw CaravanException.config("Replication slot " + slot + " of stream " + request.stream() + " is gone, so the changes since the "
                        + "last sync are lost to Caravan. Fix: reset the stream (its next sync takes a new snapshot).");
            }
            long target = replication.currentFlushLsn();
            return new DebeziumStreamReader(slot, schema, new ChangeRows(schema),
                    PgEngineProperties.of(settings, slot, table[0], table[1], request.state()), request.state(), request.batchSize(),
                    new PgCatchUp(settings, slot, target));
        } catch (SQLException e) {
            ErrorType type = ErrorClassifier.classify(e);
            throw new CaravanException(type == ErrorType.TRANSIENT ? type : ErrorType.CONFIG, "Preparing change data capture of " + request.stream() + " on "
                    + settings.jdbc().target() + " failed: " + settings.jdbc().scrub(e.getMessage()), e);
        }
    }

    /** Deleting a connection drops the replication slot and publication its stream used. */
    @Override
    public void release(ConnectorConfig config, String stream) {
        dropSlot(config, stream);
    }

    /** Drops the replication slot and publication of {@code stream}: what deleting its connection does. */
    public void dropSlot(ConnectorConfig config, String stream) {
        PgCdcSettings settings = PgCdcSettings.of(config);
        try (Connection connection = connect(settings)) {
            String[] table = table(connection, settings, stream);
            String slot = settings.slotName(table[0], table[1]);
            PgReplication replication = new PgReplication(connection, settings);
            replication.drop(slot);
            replication.dropPublication(slot);
        } catch (SQLException e) {
            throw CaravanException.config("Dropping the replication slot of " + stream + " on " + settings.jdbc().target() + " failed: "
                    + settings.jdbc().scrub(e.getMessage()));
        }
    }

    /** The selected fields (all when none are) and always the CDC columns, which mark deletes. */
    static Schema outputSchema(Schema full, List<String> selected) {
        if (selected.isEmpty()) {
            return full;
        }
        List<String> keep = new ArrayList<>(selected);
        full.names().stream().filter(CdcColumns::isCdcColumn).forEach(keep::add);
        return full.project(keep);
    }

    /** {schema, table} of the stream's table, found by listing tables (names may contain dots). */
    private static String[] table(Connection connection, PgCdcSettings settings, String stream) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (?)")) {
            ps.setArray(1, connection.createArrayOf("text", settings.jdbc().schemas().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (StreamNames.of(rs.getString(1), rs.getString(2)).equals(stream)) {
                        return new String[] {rs.getString(1), rs.getString(2)};
                    }
                }
            }
        }
        throw CaravanException.config("Stream '" + stream + "' is not a table of " + settings.jdbc().target() + ". Fix: run discover and update the "
                + "connection's streams.");
    }

    private static Connection connect(PgCdcSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.jdbc().url(), settings.jdbc().connectionProperties());
    }

    /** The options the JDBC catalog reader takes, from this connector's config. */
    private static ConnectorConfig jdbcConfig(ConnectorConfig config) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : PostgresSource.SPEC.optionNames()) {
            if (config.values().containsKey(name)) {
                values.put(name, config.values().get(name));
            }
        }
        return PostgresSource.SPEC.validate(values, "").withNetwork(config.network());
    }
}
