package dev.caravan.source.file;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the files of one stream listed once at open, oldest modification first, each streamed record by record into
 * batches that never mix two files. With {@code checkpoints}, each batch's checkpoint is the {@link FileState} after it:
 * a file is remembered once all its records are durable, and a read interrupted in a file resumes after its durable
 * records. Values that do not fit their column are null with an {@code _airbyte_meta} change, as are a record's own
 * problems (wrong number of CSV values, a line that is not JSON, bytes invalid in the charset).
 */
final class FileStreamReader implements StreamReader {
    private final FileSourceConfig config;
    private final FileStreamSpec spec;
    private final FileStorage storage;
    private final Schema schema;
    private final Field[] fields;
    private final int[] rawColumn;
    private final RawRow.Columns columns;
    private final boolean checkpoints;
    private final int batchSize;
    private final FileState state;
    private final Deque<SourceFile> pending = new ArrayDeque<>();
    private final List<String> warnings = new ArrayList<>();
    private final RawRow row = new RawRow();

    private SourceFile file;
    private FileRows rows;
    private Path localCopy;
    private long rowsInFile;

    /** Reads {@code files} (the stream's listing) from {@code storage}, which it closes when closed. */
    FileStreamReader(FileSourceConfig config, FileStorage storage, List<SourceFile> files, FileStreamSpec spec, Schema full, Schema schema,
                     boolean incremental, boolean checkpoints, Map<String, Object> committed, int batchSize) {
        this.config = config;
        this.spec = spec;
        this.schema = schema;
        this.checkpoints = checkpoints;
        this.batchSize = batchSize;
        this.state = FileState.of(incremental || checkpoints ? committed : Map.of());
        this.fields = schema.fields().toArray(Field[]::new);
        Map<String, Integer> dataColumns = new HashMap<>();
        for (int i = 0; i < full.size(); i++) {
            if (!FileSource.METADATA.contains(full.field(i).name())) {
                dataColumns.put(full.field(i).name(), i);
            }
        }
        this.columns = name -> dataColumns.getOrDefault(name, -1);
        this.rawColumn = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            rawColumn[i] = dataColumns.getOrDefault(fields[i].name(), -1 - FileSource.METADATA.indexOf(fields[i].name()));
        }
        this.storage = storage;
        List<SourceFile> listed = new ArrayList<>(files);
        listed.sort(Comparator.comparing(SourceFile::lastModified).thenComparing(SourceFile::url));
        List<String> modified = new ArrayList<>();
        for (SourceFile f : listed) {
            FileState.Decision decision = incremental || checkpoints ? state.decide(f) : FileState.Decision.NEW;
            if (decision == FileState.Decision.NEW || (decision == FileState.Decision.MODIFIED && config.reingestModified())) {
                pending.add(f);
            } else if (decision == FileState.Decision.MODIFIED) {
                modified.add(f.url());
            }
        }
        if (!modified.isEmpty()) {
            warnings.add(modified.size() + " file(s) changed after they were ingested and were not read again (modified_files: ignore): "
                    + String.join(", ", modified.subList(0, Math.min(5, modified.size()))) + (modified.size() > 5 ? ", ..." : ""));
        }
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public RecordBatch next() {
        while (true) {
            if (rows == null && !openNext()) {
                return null;
            }
            List<Object[]> out = new ArrayList<>(Math.min(batchSize, 1024));
            Map<Integer, List<FieldChange>> changes = new HashMap<>();
            boolean ended = false;
            boolean markRead = true;
            try {
                while (out.size() < batchSize) {
                    if (!rows.next(row)) {
                        ended = true;
                        break;
                    }
                    rowsInFile++;
                    out.add(convert(row, out.size(), changes));
                }
            } catch (IOException | RuntimeException e) {
                markRead = unreadable(e);
                ended = true;
            }
            if (ended && markRead) {
                closeFile();
                state.ingested(file, config.maxHistoryFiles());
            } else {
                if (ended) {
                    closeFile(); // left for the next sync, which resumes after the records delivered here
                }
                state.reading(file, rowsInFile);
            }
            if (out.isEmpty() && (!checkpoints || !markRead)) {
                continue; // nothing read and the position did not move
            }
            return new RecordBatch(schema, out, checkpoints ? state.toMap() : Map.of(), changes);
        }
    }

    private boolean openNext() {
        while (!pending.isEmpty()) {
            file = pending.poll();
            long durable = state.durableRows(file);
            rowsInFile = 0;
            try {
                rows = open(file);
                while (rowsInFile < durable && rows.next(row)) {
                    rowsInFile++;
                }
                return true;
            } catch (IOException | RuntimeException e) {
                boolean markRead = unreadable(e);
                closeFile();
                if (markRead) {
                    state.ingested(file, config.maxHistoryFiles());
                }
            }
        }
        return false;
    }

    private FileRows open(SourceFile f) throws IOException {
        FileFormat format = spec.format();
        if (format.type() == FileFormat.Type.PARQUET) {
            localCopy = storage.localCopy(f);
            return new ParquetRows(localCopy, columns);
        }
        InputStream in = storage.open(f);
        try {
            return FileSource.open(format, f, in, columns);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * A file that failed. The storage unreachable or breaking off: the stream fails as transient, retried from its last
     * checkpoint, the file not marked. The file changed or deleted since it was listed: it is left for the next sync
     * (named in the warnings, not marked). Otherwise the file cannot be read: the stream fails (unreadable_files: fail),
     * or the file is named in the warnings and marked read (skip). Returns whether the file is to be marked read.
     */
    private boolean unreadable(Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        long read = rowsInFile;
        if (storage.unavailable(e)) {
            closeFile();
            throw new CaravanException(ErrorType.TRANSIENT, "stream " + spec.name() + ": reading " + file.url() + " from "
                    + storage.describe() + " failed after " + read + " record(s): " + reason, e);
        }
        if (e instanceof FileChangedException) {
            warnings.add("file " + file.url() + " was not read: " + reason + "; the next sync takes it");
            return false;
        }
        if (config.failOnUnreadable()) {
            closeFile();
            throw CaravanException.config("stream " + spec.name() + ": file " + file.url() + " cannot be read after " + read + " record(s): "
                    + reason + "; fix or remove the file, or set option unreadable_files to skip to read the other files");
        }
        warnings.add("file " + file.url() + " could not be read after " + read + " record(s) and was skipped (unreadable_files: skip): " + reason);
        return true;
    }

    private Object[] convert(RawRow raw, int index, Map<Integer, List<FieldChange>> changes) {
        Object[] out = new Object[fields.length];
        List<FieldChange> rowChanges = null;
        for (int i = 0; i < fields.length; i++) {
            int column = rawColumn[i];
            if (column == -1) {
                out[i] = file.url();
            } else if (column == -2) {
                out[i] = file.lastModified();
            } else if (column >= 0) {
                Object value = raw.get(column);
                if (value != null) {
                    try {
                        out[i] = RawValues.convert(value, fields[i].type());
                    } catch (IllegalArgumentException | ArithmeticException e) {
                        rowChanges = rowChanges == null ? new ArrayList<>(2) : rowChanges;
                        rowChanges.add(new FieldChange(fields[i].name(), FieldChange.NULLED, FieldChange.SOURCE_SERIALIZATION_ERROR));
                    }
                }
            }
        }
        if (!raw.problems().isEmpty()) {
            rowChanges = rowChanges == null ? new ArrayList<>(2) : rowChanges;
            rowChanges.addAll(raw.problems());
        }
        if (rowChanges != null) {
            changes.put(index, rowChanges);
        }
        return out;
    }

    private void closeFile() {
        try {
            if (rows != null) {
                rows.close();
            }
        } catch (IOException e) {
            // the records read are complete; a failing close loses nothing
        } finally {
            rows = null;
            if (localCopy != null) {
                storage.release(file, localCopy);
                localCopy = null;
            }
        }
    }

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public void close() {
        closeFile();
        storage.close();
    }
}
