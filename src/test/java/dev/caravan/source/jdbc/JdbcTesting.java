package dev.caravan.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.Field;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Helpers shared by the JDBC source tests. */
public final class JdbcTesting {
    private JdbcTesting() {
    }

    /** The catalog as text for golden files: one line per stream, one per field. */
    public static String catalogText(Catalog catalog) {
        StringBuilder text = new StringBuilder();
        for (CatalogStream stream : catalog.streams()) {
            text.append("stream ").append(stream.name()).append(" modes=").append(stream.supportedSyncModes())
                    .append(" pk=").append(stream.primaryKey()).append(" cursors=").append(stream.cursorCandidates())
                    .append(" default_cursor=").append(stream.defaultCursorField()).append('\n');
            for (Field field : stream.schema().fields()) {
                text.append("  ").append(field.name()).append(' ').append(field.type()).append(field.nullable() ? "" : " not null").append('\n');
            }
        }
        return text.toString();
    }

    public static ReadRequest request(String stream, SyncMode mode, String cursor, List<String> pk, Map<String, Object> state, int batchSize) {
        return new ReadRequest(stream, List.of(), mode, cursor, pk, state, batchSize);
    }

    public static List<RecordBatch> batches(SourceConnector source, ConnectorConfig config, ReadRequest request) {
        List<RecordBatch> batches = new ArrayList<>();
        try (StreamReader reader = source.read(config, request)) {
            RecordBatch batch;
            while ((batch = reader.next()) != null) {
                batches.add(batch);
            }
        }
        return batches;
    }

    public static List<Object[]> rows(SourceConnector source, ConnectorConfig config, ReadRequest request) {
        return batches(source, config, request).stream().flatMap(b -> b.rows().stream()).toList();
    }

    /**
     * Reads the stream as a sync that stops after every checkpoint would: rows are kept once a batch moves the checkpoint
     * (as the platform commits them), then a new reader resumes from that checkpoint; returns the rows kept, in order.
     */
    public static List<Object[]> readResumingAfterEveryBatch(SourceConnector source, ConnectorConfig config, ReadRequest first) {
        List<Object[]> rows = new ArrayList<>();
        Map<String, Object> state = first.state();
        for (int round = 0; round < 10_000; round++) {
            ReadRequest request = new ReadRequest(first.stream(), first.fields(), first.syncMode(), first.cursorField(), first.primaryKey(),
                    state, first.batchSize());
            List<Object[]> uncommitted = new ArrayList<>();
            try (StreamReader reader = source.read(config, request)) {
                RecordBatch batch;
                boolean moved = false;
                while (!moved && (batch = reader.next()) != null) {
                    uncommitted.addAll(batch.rows());
                    if (!batch.checkpoint().equals(state)) {
                        state = batch.checkpoint();
                        moved = true;
                    }
                }
                rows.addAll(uncommitted);
                if (!moved) {
                    return rows;
                }
            }
        }
        throw new AssertionError("did not finish");
    }

    public static JobRecord sync(TestingServer server, String connection) {
        JobRecord job = server.server().syncNow(connection).orElseThrow();
        assertThat(job.status()).as("job %s of %s: %s", job.id(), connection, job.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    public static TreeSet<String> parquetFiles(Path dir) {
        TreeSet<String> files = new TreeSet<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(f -> f.toString().endsWith(".parquet")).forEach(f -> files.add(dir.relativize(f).toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public static String lakeDestination(Path lake) {
        return "destinations:\n  - {name: lake, connector: local, config: {path: \"" + lake + "\", file_size_mb: 1}}\n";
    }
}
