package dev.caravan.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads one stream page by page, for each partition (one, or one per parent record of a substream, nested to any
 * depth). A page's records are mapped as they are parsed and handed out in batches; the checkpoint moves with the last
 * batch of a page.
 *
 * <p>State: incremental reads keep a {@link CursorWindow} per partition (keys ending {@code ""} or
 * {@code ":<parent key path>"}); full refreshes of keyed streams keep the partition index and the next page's URL
 * ({@code partition}, {@code next}).
 */
final class HttpStreamReader implements StreamReader {
    private record Row(Object[] values, List<FieldChange> changes) {}

    private final HttpConfig config;
    private final HttpManifest.Stream stream;
    private final HttpRequester requester;
    private final Schema schema;
    private final RecordMapper mapper;
    private final boolean incremental;
    private final boolean checkpoints;
    private final FieldType cursorType;
    private final int batchSize;
    private final List<Partitions.Partition> partitions;
    private final Map<String, Object> state;
    private final ArrayDeque<Row> pending = new ArrayDeque<>();
    /** Sees each delivered record instead of the mapper (schema sampling), or null. */
    private final Consumer<JsonNode> tap;
    private int partition;
    private String nextUrl;
    private boolean partitionStarted;
    private CursorWindow window;
    private final List<String> warnings = new ArrayList<>();
    private Map<String, Object> committed;
    /** The checkpoint before the current page: carried by the page's batches but its last. */
    private Map<String, Object> committedBefore = Map.of();
    private boolean checkpointMoved;
    private int delivered;

    /**
     * @param fullSchema the stream's whole schema (declared or inferred), {@code schema} the projection delivered
     */
    HttpStreamReader(HttpConfig config, HttpManifest.Stream stream, Schema fullSchema, Schema schema, boolean incremental, boolean keyed,
                     Map<String, Object> state, int batchSize, Consumer<JsonNode> tap) {
        this.config = config;
        this.stream = stream;
        this.requester = new HttpRequester(config, config.manifest().requester().maxRetries());
        this.schema = schema;
        this.mapper = new RecordMapper(schema);
        this.incremental = incremental;
        this.checkpoints = incremental || keyed;
        this.tap = tap;
        String cursorField = incremental ? stream.incremental().cursorField() : null;
        this.cursorType = cursorField == null ? null : fullSchema.field(cursorField).orElseThrow(() -> CaravanException.config("stream "
                + stream.name() + ": incremental.cursor_field '" + cursorField + "' is not a field of its records " + fullSchema.names())).type();
        this.batchSize = batchSize;
        this.state = new LinkedHashMap<>(state);
        this.committed = Map.copyOf(state);
        this.partitions = stream.parent() == null ? Collections.singletonList(null)
                : new Partitions(config, requester).of(config.manifest().stream(stream.parent()));
        if (!incremental && state.get("partition") instanceof Number n) {
            partition = n.intValue();
            nextUrl = (String) state.get("next");
            partitionStarted = nextUrl != null;
        }
    }

    /** Up to {@code count} records of {@code stream} as the API sends them (full refresh, filter applied): a schema sample. */
    static List<JsonNode> sample(HttpConfig config, HttpManifest.Stream stream, int count) {
        List<JsonNode> records = new ArrayList<>();
        Schema placeholder = new Schema(List.of(dev.caravan.spi.Field.nullable("_sample", FieldType.JSON)));
        try (HttpStreamReader reader = new HttpStreamReader(config, stream, placeholder, placeholder, false, false, Map.of(), 1, records::add)) {
            while (records.size() < count && reader.partition < reader.partitions.size()) {
                reader.readPage();
            }
        }
        return records.size() > count ? records.subList(0, count) : records;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public RecordBatch next() {
        while (pending.isEmpty()) {
            if (checkpointMoved) {
                checkpointMoved = false;
                return new RecordBatch(schema, List.of(), committed);
            }
            if (partition >= partitions.size()) {
                return null;
            }
            readPage();
        }
        List<Object[]> rows = new ArrayList<>(Math.min(batchSize, pending.size()));
        Map<Integer, List<FieldChange>> changes = new HashMap<>();
        while (rows.size() < batchSize && !pending.isEmpty()) {
            Row row = pending.poll();
            if (!row.changes().isEmpty()) {
                changes.put(rows.size(), row.changes());
            }
            rows.add(row.values());
        }
        return new RecordBatch(schema, rows, pending.isEmpty() ? committed : committedBefore, changes);
    }

    /** Fetches the partition's next page into {@code pending} and moves the checkpoint past it. */
    private void readPage() {
        Partitions.Partition parent = partitions.get(partition);
        if (!partitionStarted) {
            startPartition(parent);
        }
        String url = nextUrl;
        JsonNode[] last = {null};
        int[] count = {0};
        HttpManifest.Pagination pagination = stream.pagination();
        Consumer<JsonNode> onRecord = record -> {
            count[0]++;
            last[0] = record;
            accept(record, parent);
        };
        Map<String, String> values;
        Map<String, String> headers;
        Set<Integer> ignore = parent == null ? Set.of() : stream.parentIgnoreStatus();
        Requests.Request request = Requests.page(stream, url, key -> lookup(key, parent));
        try (HttpRequester.Response response = requester.send(request.method(), request.url(), request.body(),
                Requests.headers(stream, key -> lookup(key, parent)), ignore)) {
            if (response.ignored()) {
                values = Map.of();
                headers = Map.of();
            } else {
                values = PageParser.parse(url, response.body(), stream.records(), Paginator.captured(pagination), onRecord);
                headers = response.headers();
            }
        } catch (CaravanException e) {
            pending.clear();
            throw e;
        }
        nextUrl = Paginator.next(pagination, url, count[0], values, headers, last[0]);
        committedBefore = committed;
        if (nextUrl == null) {
            partition++;
            partitionStarted = false;
        }
        Map<String, Object> moved = checkpoint(nextUrl == null);
        if (!moved.equals(committed)) {
            committed = moved;
            checkpointMoved = pending.isEmpty();
        }
    }

    private void accept(JsonNode record, Partitions.Partition parent) {
        if (stream.filter() != null && !stream.filter().test(record, key -> lookup(key, parent))) {
            return;
        }
        if (incremental && !window.admit(record)) {
            return;
        }
        delivered++;
        if (tap != null) {
            tap.accept(record);
            return;
        }
        List<FieldChange> changes = RecordMapper.none();
        pending.add(new Row(mapper.row(record, changes), changes));
    }

    private Map<String, Object> checkpoint(boolean partitionDone) {
        if (!checkpoints) {
            return Map.of();
        }
        Map<String, Object> next = new LinkedHashMap<>(state);
        if (incremental) {
            if (stream.incremental().ascending() || partitionDone) {
                window.saveInto(next);
            }
            if (partitionDone && window.warning() != null) {
                warnings.add(window.warning());
            }
        } else {
            next.put("partition", partition);
            if (nextUrl == null) {
                next.remove("next");
            } else {
                next.put("next", nextUrl);
            }
        }
        state.clear();
        state.putAll(next);
        return Map.copyOf(next);
    }

    private void startPartition(Partitions.Partition parent) {
        partitionStarted = true;
        if (incremental) {
            window = new CursorWindow(stream.name(), stream.incremental(), cursorType, stream.primaryKey(), state,
                    parent == null ? "" : ":" + parent.key(), config.startDate() == null ? null : config.startDate().toString());
        }
        String url = Paginator.firstUrl(config.baseUrl(), stream, key -> lookup(key, parent));
        if (incremental && window.lowerBound() != null && stream.incremental().requestParam() != null) {
            url = Urls.withParam(url, stream.incremental().requestParam(), window.lowerBound());
        }
        nextUrl = url;
    }

    /** The value of a placeholder: config.x, parent[.parent...].x, state.start / state.cursor / state.x. */
    private String lookup(String key, Partitions.Partition parent) {
        if (key.startsWith("state.")) {
            String name = key.substring(6);
            if (!incremental || window == null) {
                return "";
            }
            if (name.equals("start")) {
                return window.lowerBound() == null ? "" : window.lowerBound();
            }
            Object v = state.get(name + (parent == null ? "" : ":" + parent.key()));
            return v == null ? "" : v.toString();
        }
        return Partitions.lookup(config, stream.name(), key, parent);
    }

    @Override
    public List<String> warnings() {
        return warnings.size() > 5 ? List.of(warnings.get(0) + " (and " + (warnings.size() - 1) + " more partitions)") : List.copyOf(warnings);
    }

    /** How many records this reader delivered (after filters) so far. */
    int delivered() {
        return delivered;
    }

    @Override
    public void close() {
        pending.clear();
        requester.close();
    }
}
