package dev.caravan.source.file;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@code files} source: CSV, JSON Lines, JSON and Parquet files in a local folder or an S3 bucket, one stream per
 * set of globs (docs/connectors/files.md). Incremental streams read each file once: the cursor is the file's
 * modification time ({@value #LAST_MODIFIED}) and the state remembers every file ingested, by key.
 */
public final class FileSource implements SourceConnector {
    public static final String FILE_URL = "_ab_source_file_url";
    public static final String LAST_MODIFIED = "_ab_source_file_last_modified";
    static final List<String> METADATA = List.of(FILE_URL, LAST_MODIFIED);
    public static final ConnectorSpec SPEC = new ConnectorSpec("files", ConnectorSpec.ConnectorKind.SOURCE,
            "Files (CSV, JSON Lines, JSON, Parquet) in a folder or an S3 bucket", FileSourceConfig.OPTIONS);

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public CheckResult check(ConnectorConfig config) {
        try {
            FileSourceConfig files = FileSourceConfig.from(config);
            try (FileStorage storage = files.open()) {
                List<String> empty = new ArrayList<>();
                for (FileStreamSpec stream : files.streams()) {
                    if (storage.list(stream.globs(), stream.matchers()).isEmpty()) {
                        empty.add(stream.name());
                    }
                }
                return empty.size() == files.streams().size() && !empty.isEmpty()
                        ? CheckResult.failed("no file under " + storage.describe() + " matches the globs of stream(s) " + empty
                        + "; check option 'streams' (globs are relative to the " + (files.storage() == FileSourceConfig.Storage.LOCAL ? "folder 'path'" : "bucket") + ")")
                        : CheckResult.ok();
            } catch (IOException e) {
                return CheckResult.failed("cannot list the files: " + e.getMessage() + " (check options 'bucket', 'endpoint', 'region' and the credentials)");
            }
        } catch (CaravanException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public Catalog discover(ConnectorConfig config) {
        FileSourceConfig files = FileSourceConfig.from(config);
        List<CatalogStream> streams = new ArrayList<>();
        try (FileStorage storage = files.open()) {
            for (FileStreamSpec stream : files.streams()) {
                streams.add(catalogStream(stream, schemaOf(storage, stream, listed(storage, stream))));
            }
        }
        return new Catalog(streams);
    }

    private static CatalogStream catalogStream(FileStreamSpec stream, Schema schema) {
        List<SyncMode> modes = new ArrayList<>(List.of(SyncMode.FULL_REFRESH_OVERWRITE, SyncMode.FULL_REFRESH_APPEND, SyncMode.INCREMENTAL_APPEND));
        if (!stream.primaryKey().isEmpty()) {
            modes.add(SyncMode.INCREMENTAL_APPEND_DEDUPED);
        }
        return new CatalogStream(stream.name(), schema, modes, stream.primaryKey(), List.of(LAST_MODIFIED), LAST_MODIFIED);
    }

    @Override
    public StreamReader read(ConnectorConfig config, ReadRequest request) {
        FileSourceConfig files = FileSourceConfig.from(config);
        FileStreamSpec stream = files.stream(request.stream());
        if (request.syncMode().incremental() && !LAST_MODIFIED.equals(request.cursorField())) {
            throw CaravanException.config("stream " + stream.name() + " of a files source can only use cursor field '" + LAST_MODIFIED
                    + "' (each file is read once, in order of modification), not '" + request.cursorField() + "'");
        }
        // one listing serves the schema's sample and the read; the reader owns the storage from here
        FileStorage storage = files.open();
        try {
            List<SourceFile> listed = listed(storage, stream);
            Schema full = schemaOf(storage, stream, listed);
            Schema schema = request.fields().isEmpty() ? full : full.project(request.fields());
            boolean checkpoints = request.syncMode().incremental() || !request.primaryKey().isEmpty() || !stream.primaryKey().isEmpty();
            return new FileStreamReader(files, storage, listed, stream, full, schema, request.syncMode().incremental(), checkpoints,
                    request.state(), request.batchSize());
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** The stream's files, listed once. */
    static List<SourceFile> listed(FileStorage storage, FileStreamSpec stream) {
        try {
            return List.copyOf(storage.list(stream.globs(), stream.matchers()));
        } catch (IOException e) {
            throw new CaravanException(ErrorType.TRANSIENT, "stream " + stream.name() + ": listing " + storage.describe() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The stream's columns inferred from its newest {@code infer_files} files ({@code infer_rows} records each; a Parquet
     * file's declared columns), overrides applied, then the two file columns.
     */
    static Schema schemaOf(FileStorage storage, FileStreamSpec stream, List<SourceFile> files) {
        ColumnTypes types = new ColumnTypes();
        List<SourceFile> newestFirst = new ArrayList<>(files);
        newestFirst.sort(Comparator.comparing(SourceFile::lastModified).thenComparing(SourceFile::url).reversed());
        for (SourceFile file : newestFirst.subList(0, Math.min(stream.inferFiles(), newestFirst.size()))) {
            try {
                sample(storage, stream, file, types);
            } catch (IOException | RuntimeException e) {
                // an unreadable file is reported (or skipped) when the stream is read, under unreadable_files
            }
        }
        List<Field> fields = new ArrayList<>();
        for (Field field : types.fields(stream.schemaOverrides())) {
            if (!METADATA.contains(field.name())) {
                fields.add(field);
            }
        }
        fields.add(Field.nullable(FILE_URL, FieldType.STRING));
        fields.add(Field.nullable(LAST_MODIFIED, FieldType.TIMESTAMP_TZ));
        Schema schema = new Schema(fields);
        for (String key : stream.primaryKey()) {
            if (schema.indexOf(key) < 0) {
                throw CaravanException.config("stream " + stream.name() + ": primary_key column '" + key + "' is not a column of its files "
                        + schema.names() + "; fix primary_key in option 'streams' or declare the column in its 'schema'");
            }
        }
        return schema;
    }

    private static void sample(FileStorage storage, FileStreamSpec stream, SourceFile file, ColumnTypes types) throws IOException {
        FileFormat format = stream.format();
        if (format.type() == FileFormat.Type.PARQUET) {
            Path local = storage.localCopy(file);
            try {
                ParquetRows.columnTypes(local).forEach((name, type) -> types.declare(types.indexOf(name), type));
            } finally {
                storage.release(file, local);
            }
            return;
        }
        try (InputStream in = storage.open(file); FileRows rows = open(format, file, in, types)) {
            RawRow row = new RawRow();
            for (int n = 0; n < stream.inferRows() && rows.next(row); n++) {
                for (Map.Entry<String, Integer> column : types.columns().entrySet()) {
                    types.observe(column.getValue(), row.get(column.getValue()), rows.textIsCsv());
                }
            }
        }
    }

    static FileRows open(FileFormat format, SourceFile file, InputStream in, RawRow.Columns columns) throws IOException {
        InputStream data = format.compression().of(file.path()).wrap(in);
        return switch (format.type()) {
            case CSV -> new CsvRows(data, format.csv(), columns);
            case JSONL -> new JsonLinesRows(data, columns);
            case JSON -> new JsonArrayRows(data, columns);
            case PARQUET -> throw new IllegalStateException("Parquet is sampled from its footer");
        };
    }
}
