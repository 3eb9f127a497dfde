package dev.caravan.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamWriter;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import dev.caravan.spi.WriteSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The acceptance tests every destination connector passes: extend this class, start what it writes to, and say how an
 * independent reader sees what a stream committed ({@link #committedRows}). Each test writes its own namespace.
 *
 * <ul>
 *   <li>the spec is a valid JSON Schema that accepts the valid configuration; {@code check} accepts it and refuses each
 *       bad configuration within seconds, naming the option;</li>
 *   <li>{@code location} is stable and differs for another place;</li>
 *   <li>append jobs add up; an overwrite job replaces the previous output; commit reports what it wrote;</li>
 *   <li>an aborted job, and a writer closed without commit, leave the previous output exactly as it was.</li>
 * </ul>
 */
public abstract class DestinationAcceptanceKit extends ConnectorAcceptanceKit {
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("name", FieldType.STRING)));
    private final AtomicLong jobs = new AtomicLong(1000);

    protected abstract DestinationConnector connector();

    @Override
    protected ConnectorSpec spec() {
        return connector().spec();
    }

    @Override
    protected CheckResult check(ConnectorConfig config) {
        return connector().check(config);
    }

    /** A valid configuration that writes somewhere else than {@link #config()}. */
    protected abstract Map<String, Object> otherPlaceConfig();

    /**
     * The rows of stream {@code stream} in {@code namespace} as an independent reader of the destination's committed
     * output sees them, each as {@code [id, name]} texts ({@link Values#text}); any order.
     */
    protected abstract List<List<String>> committedRows(ConnectorConfig config, String namespace, String stream) throws Exception;

    @Test
    void theLocationIsStableAndDiffersForAnotherPlace() {
        String location = connector().location(validated());
        assertThat(connector().location(validated())).isEqualTo(location);
        assertThat(location).doesNotEndWith("/");
        assertThat(connector().location(connector().spec().validate(otherPlaceConfig(), ""))).isNotEqualTo(location);
    }

    @Test
    void appendJobsAddUpAndCommitReportsWhatItWrote() throws Exception {
        String namespace = namespace();
        WriteSummary first = job(namespace, SyncMode.FULL_REFRESH_APPEND, 1, List.of(rows(1, 40), rows(41, 10)), true);
        assertThat(first.records()).isEqualTo(50);
        assertThat(first.files()).isNotEmpty();
        assertThat(first.bytes()).isPositive();
        job(namespace, SyncMode.INCREMENTAL_APPEND, 1, List.of(rows(51, 5)), true);
        assertThat(sorted(committedRows(validated(), namespace, "items"))).isEqualTo(sorted(expected(1, 55)));
    }

    @Test
    void anOverwriteJobReplacesThePreviousOutput() throws Exception {
        String namespace = namespace();
        job(namespace, SyncMode.FULL_REFRESH_OVERWRITE, 1, List.of(rows(1, 30)), true);
        assertThat(sorted(committedRows(validated(), namespace, "items"))).isEqualTo(sorted(expected(1, 30)));
        job(namespace, SyncMode.FULL_REFRESH_OVERWRITE, 2, List.of(rows(100, 7), rows(107, 3)), true);
        assertThat(sorted(committedRows(validated(), namespace, "items"))).isEqualTo(sorted(expected(100, 10)));
        job(namespace, SyncMode.FULL_REFRESH_OVERWRITE, 3, List.of(), true);
        assertThat(committedRows(validated(), namespace, "items")).as("an empty overwrite empties the stream").isEmpty();
    }

    @Test
    void anAbortedJobLeavesThePreviousOutputAsItWas() throws Exception {
        for (SyncMode mode : List.of(SyncMode.FULL_REFRESH_APPEND, SyncMode.FULL_REFRESH_OVERWRITE)) {
            String namespace = namespace();
            job(namespace, mode, 1, List.of(rows(1, 20)), true);
            job(namespace, mode, 2, List.of(rows(21, 20), rows(41, 20)), false);
            assertThat(sorted(committedRows(validated(), namespace, "items"))).as("%s after an abort", mode).isEqualTo(sorted(expected(1, 20)));
        }
    }

    @Test
    void aWriterClosedWithoutCommitLeavesThePreviousOutputAsItWas() throws Exception {
        String namespace = namespace();
        job(namespace, SyncMode.FULL_REFRESH_OVERWRITE, 1, List.of(rows(1, 12)), true);
        try (StreamWriter writer = connector().open(validated(), request(namespace, SyncMode.FULL_REFRESH_OVERWRITE, 2))) {
            writer.write(rows(500, 30));
        }
        assertThat(sorted(committedRows(validated(), namespace, "items"))).isEqualTo(sorted(expected(1, 12)));
    }

    private WriteSummary job(String namespace, SyncMode mode, long generation, List<RecordBatch> batches, boolean commit) {
        try (StreamWriter writer = connector().open(validated(), request(namespace, mode, generation))) {
            for (RecordBatch batch : batches) {
                writer.write(batch);
            }
            if (commit) {
                return writer.commit();
            }
            writer.abort();
            return null;
        }
    }

    private WriteRequest request(String namespace, SyncMode mode, long generation) {
        return new WriteRequest("kit", "items", namespace, "", mode, SCHEMA, List.of("id"), jobs.incrementAndGet(), 1, generation,
                Instant.now());
    }

    private static String namespace() {
        return "kit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static RecordBatch rows(long first, int count) {
        List<Object[]> rows = new ArrayList<>();
        for (long id = first; id < first + count; id++) {
            rows.add(new Object[] {id, id % 9 == 0 ? null : "name " + id});
        }
        return new RecordBatch(SCHEMA, rows, Map.of("id", first + count - 1));
    }

    private static List<List<String>> expected(long first, int count) {
        List<List<String>> rows = new ArrayList<>();
        for (long id = first; id < first + count; id++) {
            rows.add(List.of(Long.toString(id), id % 9 == 0 ? "null" : "name " + id));
        }
        return rows;
    }

    private static List<String> sorted(List<List<String>> rows) {
        return rows.stream().map(row -> String.join("\u0001", row)).sorted().toList();
    }
}
