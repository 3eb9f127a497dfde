package dev.caravan.camel.source;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.SplitReads;
import dev.caravan.spi.SyncMode;
import dev.caravan.sync.SchemaPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Category;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * The source side of a stream route. Syncs are started by the server's sync coordinator (on a schedule or
 * manually), which calls {@link CaravanSourceConsumer#sync}; the consumer never polls on its own.
 */
@UriEndpoint(scheme = "caravan-source", title = "Caravan stream source", syntax = "caravan-source:connection/stream", consumerOnly = true,
        category = Category.DATABASE)
public class CaravanSourceEndpoint extends DefaultEndpoint {
    @UriPath(description = "The connection the stream belongs to")
    @Metadata(required = true)
    private final String connection;
    @UriPath(description = "The stream to read, as the source's discover names it (e.g. public.users)")
    @Metadata(required = true)
    private final String stream;
    @UriParam(description = "The source (as applied) whose connector reads the stream; its secrets stay in the metadata store")
    @Metadata(required = true)
    private String source;
    @UriParam(description = "full_refresh_overwrite, full_refresh_append, incremental_append or incremental_append_deduped",
            defaultValue = "full_refresh_overwrite", enums = "full_refresh_overwrite,full_refresh_append,incremental_append,incremental_append_deduped")
    private String syncMode = SyncMode.FULL_REFRESH_OVERWRITE.configName();
    @UriParam(description = "The cursor field of incremental modes, e.g. updated_at")
    private String cursorField;
    @UriParam(description = "Comma-separated primary key fields (default: the source's); needed by incremental_append_deduped")
    private String primaryKey;
    @UriParam(description = "Comma-separated fields to read (default: all)")
    private String fields;
    @UriParam(description = "Full refresh: read the stream in parallel primary-key ranges: auto (the source splits large tables), off, "
            + "or 2 to 8 ranges; default: the source's split_reads setting")
    private String splitReads;
    @UriParam(description = "Rows per batch (one exchange per batch)", defaultValue = "10000")
    private int batchSize = 10_000;
    @UriParam(description = "What a sync does when the source schema changed since the last sync: propagate_columns, propagate_all, ignore or pause",
            defaultValue = "propagate_columns", enums = "propagate_columns,propagate_all,ignore,pause")
    private String schemaChanges = SchemaPolicy.DEFAULT.configName();
    @UriParam(description = "Whether an incremental stream is read from the start once when a new column is propagated, so older rows get it",
            defaultValue = "false")
    private boolean backfillNewColumns;
    @UriParam(description = "Levels of JSON objects flattened into parent_child columns beside the JSON column (0 = off)", defaultValue = "0")
    private int flattenJsonDepth;

    CaravanSourceEndpoint(String uri, CaravanSourceComponent component, String connection, String stream) {
        super(uri, component);
        this.connection = connection;
        this.stream = stream;
    }

    void validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        String at = getEndpointUri() + " ";
        if (source == null || source.isBlank()) {
            problems.add(new ConfigProblem(at + "source", source, "name the source to read, e.g. source=faker-demo"));
        }
        SyncMode mode = SyncMode.fromConfigName(syncMode).orElse(null);
        if (mode == null) {
            problems.add(new ConfigProblem(at + "syncMode", syncMode, "use one of " + SyncMode.allNames()));
        } else if (mode.incremental() && (cursorField == null || cursorField.isBlank())) {
            problems.add(new ConfigProblem(at + "cursorField", cursorField, "incremental modes need a cursor field, e.g. cursorField=updated_at"));
        }
        if (mode == SyncMode.INCREMENTAL_APPEND_DEDUPED && primaryKeyList().isEmpty()) {
            problems.add(new ConfigProblem(at + "primaryKey", primaryKey, "incremental_append_deduped needs a primary key, e.g. primaryKey=id"));
        }
        if (splitReads != null) {
            Optional<SplitReads> split = SplitReads.parse(splitReads);
            if (split.isEmpty()) {
                problems.add(new ConfigProblem(at + "splitReads", splitReads, SplitReads.RULE));
            } else if (mode != null && mode.incremental() && !split.get().off()) {
                problems.add(new ConfigProblem(at + "splitReads", splitReads, mode + " reads in cursor order, so its stream is never split: "
                        + "remove splitReads, or use a full refresh mode"));
            }
        }
        if (SchemaPolicy.fromConfigName(schemaChanges).isEmpty()) {
            problems.add(new ConfigProblem(at + "schemaChanges", schemaChanges, "use one of " + SchemaPolicy.allNames()));
        }
        if (flattenJsonDepth < 0 || flattenJsonDepth > 10) {
            problems.add(new ConfigProblem(at + "flattenJsonDepth", String.valueOf(flattenJsonDepth), "use 0 (off) to 10 levels"));
        }
        if (batchSize < 1 || batchSize > 1_000_000) {
            problems.add(new ConfigProblem(at + "batchSize", String.valueOf(batchSize), "use a number of rows between 1 and 1000000"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    @Override
    public Producer createProducer() {
        throw CaravanException.config(getEndpointUri() + " can only be used in from(); write with caravan-parquet:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        CaravanSourceConsumer consumer = new CaravanSourceConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    public String getConnection() {
        return connection;
    }

    public String getStream() {
        return stream;
    }

    public String getSource() {
        return source;
    }

    /** Name of the source (as applied) to read. */
    public void setSource(String source) {
        this.source = source;
    }

    public String getSyncMode() {
        return syncMode;
    }

    /** One of full_refresh_overwrite, full_refresh_append, incremental_append, incremental_append_deduped. */
    public void setSyncMode(String syncMode) {
        this.syncMode = syncMode;
    }

    SyncMode mode() {
        return SyncMode.fromConfigName(syncMode).orElseThrow();
    }

    public String getCursorField() {
        return cursorField;
    }

    public void setCursorField(String cursorField) {
        this.cursorField = cursorField;
    }

    public String getPrimaryKey() {
        return primaryKey;
    }

    /** Comma-separated primary key fields. */
    public void setPrimaryKey(String primaryKey) {
        this.primaryKey = primaryKey;
    }

    List<String> primaryKeyList() {
        return split(primaryKey);
    }

    public String getFields() {
        return fields;
    }

    /** Comma-separated selected fields; empty = all. */
    public void setFields(String fields) {
        this.fields = fields;
    }

    List<String> fieldList() {
        return split(fields);
    }

    public int getBatchSize() {
        return batchSize;
    }

    /** Maximum rows per batch exchange. */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public String getSchemaChanges() {
        return schemaChanges;
    }

    /** One of propagate_columns, propagate_all, ignore, pause. */
    public void setSchemaChanges(String schemaChanges) {
        this.schemaChanges = schemaChanges;
    }

    SchemaPolicy schemaPolicy() {
        return SchemaPolicy.fromConfigName(schemaChanges).orElseThrow();
    }

    public boolean isBackfillNewColumns() {
        return backfillNewColumns;
    }

    public void setBackfillNewColumns(boolean backfillNewColumns) {
        this.backfillNewColumns = backfillNewColumns;
    }

    public int getFlattenJsonDepth() {
        return flattenJsonDepth;
    }

    public void setFlattenJsonDepth(int flattenJsonDepth) {
        this.flattenJsonDepth = flattenJsonDepth;
    }

    public String getSplitReads() {
        return splitReads;
    }

    /** auto, off or a number of ranges; unset: the source's setting. */
    public void setSplitReads(String splitReads) {
        this.splitReads = splitReads;
    }

    /** The stream's split reads setting, null when the source's applies. */
    SplitReads splitReadsSetting() {
        return splitReads == null ? null : SplitReads.parse(splitReads).orElseThrow();
    }

    private static List<String> split(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
