package dev.caravan.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.Field;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import dev.caravan.testing.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The acceptance tests every source connector passes, built-in or third-party: extend this class, start what the
 * connector reads from (in a {@code @BeforeAll} of the subclass; instances live per class), and say what it must read.
 *
 * <ul>
 *   <li>the spec is a valid JSON Schema that accepts the valid configuration;</li>
 *   <li>{@code check} accepts it, and refuses each {@link #badConfigs() bad configuration} within seconds, with a message
 *       naming the option to fix;</li>
 *   <li>{@code discover} is stable and offers every stream case with its sync mode; a read's schema is the discovered one;</li>
 *   <li>a full read of each {@link #streams() stream case} gives exactly its expected records;</li>
 *   <li>a read resumed from <em>every</em> checkpoint of a read gives exactly the records after it (no gap, no duplicate);</li>
 *   <li>a sync that stops after any batch and resumes, again and again, delivers every record exactly once;</li>
 *   <li>an incremental read resumed from the final checkpoint reads nothing;</li>
 *   <li>optionally, the catalog and the values of a types stream match a golden file.</li>
 * </ul>
 */
public abstract class SourceAcceptanceKit extends ConnectorAcceptanceKit {
    /** Checkpoints of one read that the every-checkpoint test resumes from (spread over the read). */
    private static final int MAX_RESUMED_CHECKPOINTS = 40;
    static final int GOLDEN_ROWS = 20;

    protected abstract SourceConnector connector();

    @Override
    protected ConnectorSpec spec() {
        return connector().spec();
    }

    @Override
    protected CheckResult check(ConnectorConfig config) {
        return connector().check(config);
    }

    protected abstract List<StreamCase> streams();

    /** A golden file for {@link #typesStream()}, or null for none. */
    protected Path typesGolden() {
        return null;
    }

    /** The stream whose values (its first {@value #GOLDEN_ROWS} rows) {@link #typesGolden()} holds. */
    protected String typesStream() {
        return null;
    }

    /** The golden text with what differs between runs (generated names) replaced by placeholders. */
    protected String stableText(String text) {
        return text;
    }

    @Test
    void discoverIsStableAndOffersEveryStreamCase() {
        Catalog first = connector().discover(validated());
        Catalog second = connector().discover(validated());
        assertThat(second).isEqualTo(first);
        for (StreamCase c : streams()) {
            CatalogStream stream = first.stream(c.stream()).orElseThrow(() -> new AssertionError("discover does not offer " + c.stream()));
            assertThat(stream.supportedSyncModes()).as("sync modes of %s", c.stream()).contains(c.mode());
            try (StreamReader reader = connector().read(validated(), c.request(Map.of(), c.batchSize()))) {
                assertThat(reader.schema()).as("the schema read is the one discovered for %s", c.stream()).isEqualTo(stream.schema());
            }
        }
    }

    @Test
    void aFullReadGivesTheExpectedRecords() {
        for (StreamCase c : streams()) {
            List<List<String>> read = rendered(batches(c, Map.of(), 10_000));
            assertThat(sorted(read)).as("records of %s (%s)", c.stream(), c.mode()).isEqualTo(sorted(c.expected()));
        }
    }

    @Test
    void aReadResumedFromAnyCheckpointGivesExactlyTheRecordsAfterIt() {
        for (StreamCase c : streams()) {
            List<RecordBatch> batches = batches(c, Map.of(), c.batchSize());
            List<Integer> checkpoints = new ArrayList<>();
            for (int i = 0; i < batches.size(); i++) {
                Map<String, Object> before = i == 0 ? Map.of() : batches.get(i - 1).checkpoint();
                if (!batches.get(i).checkpoint().isEmpty() && !batches.get(i).checkpoint().equals(before)) {
                    checkpoints.add(i);
                }
            }
            if (!c.mode().incremental() && primaryKey(c).isEmpty()) {
                assertThat(checkpoints).as("a full refresh of %s without key cannot resume: no checkpoint", c.stream()).isEmpty();
                continue;
            }
            assertThat(checkpoints).as("checkpoints of %s in batches of %d", c.stream(), c.batchSize()).isNotEmpty();
            int step = Math.max(1, checkpoints.size() / MAX_RESUMED_CHECKPOINTS);
            for (int k = 0; k < checkpoints.size(); k += step) {
                int i = checkpoints.get(k);
                List<List<String>> after = rendered(batches.subList(i + 1, batches.size()));
                List<List<String>> resumed = rendered(batches(c, batches.get(i).checkpoint(), c.batchSize()));
                assertThat(sorted(resumed)).as("%s resumed from %s", c.stream(), batches.get(i).checkpoint()).isEqualTo(sorted(after));
            }
        }
    }

    @Test
    void aSyncStoppedAfterAnyBatchAndResumedDeliversEveryRecordOnce() {
        for (StreamCase c : streams()) {
            List<List<String>> delivered = new ArrayList<>();
            Map<String, Object> committed = Map.of();
            int rounds = 0;
            while (true) {
                assertThat(++rounds).as("%s keeps resuming without finishing", c.stream()).isLessThan(100_000);
                List<List<String>> uncommitted = new ArrayList<>();
                boolean moved = false;
                try (StreamReader reader = connector().read(validated(), c.request(committed, c.batchSize()))) {
                    RecordBatch batch;
                    while (!moved && (batch = reader.next()) != null) {
                        uncommitted.addAll(rendered(List.of(batch)));
                        if (!batch.checkpoint().equals(committed)) {
                            // the platform commits this checkpoint, then the sync stops
                            committed = batch.checkpoint();
                            moved = true;
                        }
                    }
                }
                delivered.addAll(uncommitted);
                if (!moved) {
                    break;
                }
            }
            assertThat(sorted(delivered)).as("records of %s delivered across stops", c.stream()).isEqualTo(sorted(c.expected()));
        }
    }

    @Test
    void anIncrementalReadFromTheFinalCheckpointReadsNothing() {
        for (StreamCase c : streams()) {
            if (!c.mode().incremental()) {
                continue;
            }
            List<RecordBatch> batches = batches(c, Map.of(), c.batchSize());
            Map<String, Object> last = batches.get(batches.size() - 1).checkpoint();
            assertThat(rendered(batches(c, last, c.batchSize()))).as("%s after its final checkpoint %s", c.stream(), last).isEmpty();
        }
    }

    @Test
    void theCatalogAndTheValuesOfTheTypesStreamMatchTheGoldenFile() {
        Path golden = typesGolden();
        if (golden == null) {
            assertThat(typesStream()).as("a types stream needs a golden file").isNull();
            return;
        }
        Catalog catalog = connector().discover(validated());
        StringBuilder text = new StringBuilder();
        for (CatalogStream stream : catalog.streams()) {
            text.append("stream ").append(stream.name()).append(" modes=").append(stream.supportedSyncModes()).append(" pk=")
                    .append(stream.primaryKey()).append(" cursors=").append(stream.cursorCandidates()).append('\n');
            for (Field field : stream.schema().fields()) {
                text.append("  ").append(field.name()).append(' ').append(field.type()).append(field.nullable() ? "" : " not null").append('\n');
            }
        }
        CatalogStream types = catalog.stream(typesStream()).orElseThrow();
        StreamCase all = new StreamCase(typesStream(), dev.caravan.spi.SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(), List.of());
        text.append("values of ").append(typesStream()).append('\n');
        int rows = 0;
        for (RecordBatch batch : batches(all, Map.of(), 10_000)) {
            for (int r = 0; r < batch.size() && rows++ < GOLDEN_ROWS; r++) {
                Object[] row = batch.rows().get(r);
                for (int f = 0; f < row.length; f++) {
                    text.append("  ").append(types.schema().field(f).name()).append(" = ").append(Values.typed(row[f])).append('\n');
                }
                batch.changesOf(r).forEach(change -> text.append("  change ").append(change).append('\n'));
                text.append("  --\n");
            }
        }
        Golden.assertMatches(golden, stableText(text.toString()));
    }

    /** The case's primary key, else the discovered one. */
    private List<String> primaryKey(StreamCase c) {
        return !c.primaryKey().isEmpty() ? c.primaryKey()
                : connector().discover(validated()).stream(c.stream()).orElseThrow().primaryKey();
    }

    private List<RecordBatch> batches(StreamCase c, Map<String, Object> state, int batchSize) {
        List<RecordBatch> batches = new ArrayList<>();
        try (StreamReader reader = connector().read(validated(), c.request(state, batchSize))) {
            RecordBatch batch;
            while ((batch = reader.next()) != null) {
                // a batch's rows are the reader's until the next call: keep copies
                List<Object[]> rows = new ArrayList<>(batch.rows().size());
                batch.rows().forEach(row -> rows.add(row.clone()));
                batches.add(new RecordBatch(batch.schema(), rows, batch.checkpoint(), batch.changes()));
            }
        }
        return batches;
    }

    private static List<List<String>> rendered(List<RecordBatch> batches) {
        List<List<String>> rows = new ArrayList<>();
        for (RecordBatch batch : batches) {
            for (Object[] row : batch.rows()) {
                List<String> values = new ArrayList<>(row.length);
                for (Object value : row) {
                    values.add(Values.text(value));
                }
                rows.add(values);
            }
        }
        return rows;
    }

    private static List<String> sorted(List<List<String>> rows) {
        return rows.stream().map(row -> String.join("\u0001", row)).sorted().toList();
    }
}
