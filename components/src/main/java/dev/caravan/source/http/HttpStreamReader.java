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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads one stream page by page, for each partition (one, or one per parent record of a substream). A page's records
 * are mapped as they are parsed and handed out in batches; the checkpoint moves with the last batch of a page.
 *
 * <p>State: incremental reads keep the greatest cursor per partition ({@code cursor}, or {@code cursor:<parent key>});
 * full refreshes of keyed streams keep the partition index and the next page's URL ({@code partition}, {@code next}).
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
    private final List<JsonNode> partitions;
    private final Map<String, Object> state;
    private final ArrayDeque<Row> pending = new ArrayDeque<>();
    private int partition;
    private String nextUrl;
    private boolean partitionStarted;
    private CursorWindow window;
    private final List<String> warnings = new ArrayList<>();
    private Map<String, Object> pageCheckpoint;
    private Map<String, Object> committed;
    /** The checkpoint before the current page: carried by the page's batches but its last. */
    private Map<String, Object> committedBefore = Map.of();
    private boolean checkpointMoved;

    HttpStreamReader(HttpConfig config, HttpManifest.Stream stream, Schema schema, boolean incremental, boolean keyed,
                     Map<String, Object> state, int batchSize) {
        this.config = config;
        this.stream = stream;
        this.requester = new HttpRequester(config, config.manifest().requester().maxRetries());
        this.schema = schema;
        this.mapper = new RecordMapper(schema);
        this.incremental = incremental;
        this.checkpoints = incremental || keyed;
        this.cursorType = incremental ? stream.schema().field(stream.incremental().cursorField()).orElseThrow().type() : null;
        this.batchSize = batchSize;
        this.state = new LinkedHashMap<>(state);
        this.committed = Map.copyOf(state);
        this.partitions = stream.parent() == null ? java.util.Collections.singletonList(null) : parents(stream.parent());
        if (!incremental && state.get("partition") instanceof Number n) {
            partition = n.intValue();
            nextUrl = (String) state.get("next");
            partitionStarted = nextUrl != null;
        }
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
        JsonNode parent = partitions.get(partition);
        if (!partitionStarted) {
            startPartition(parent);
        }
        String url = nextUrl;
        List<JsonNode> last = new ArrayList<>(1);
        int[] count = {0};
        HttpManifest.Pagination pagination = stream.pagination();
        Set<String> captured = Paginator.captured(pagination);
        Consumer<JsonNode> onRecord = record -> {
            count[0]++;
            if (last.isEmpty()) {
                last.add(record);
            } else {
                last.set(0, record);
            }
            accept(record);
        };
        Map<String, String> values;
        Map<String, String> headers;
        Set<Integer> ignore = parent == null ? Set.of() : stream.parentIgnoreStatus();
        try (HttpRequester.Response response = requester.get(url, interpolated(stream.headers(), parent), ignore)) {
            if (response.ignored()) {
                values = Map.of();
                headers = Map.of();
            } else {
                values = PageParser.parse(url, response.body(), stream.records(), captured, onRecord);
                headers = response.headers();
            }
        } catch (CaravanException e) {
            pending.clear();
            throw e;
        }
        nextUrl = Paginator.next(pagination, url, count[0], values, headers, last.isEmpty() ? null : last.get(0));
        committedBefore = committed;
        if (nextUrl == null) {
            partition++;
            partitionStarted = false;
        }
        Map<String, Object> moved = checkpoint(parent, nextUrl == null);
        if (!moved.equals(committed)) {
            committed = moved;
            checkpointMoved = pending.isEmpty();
        }
    }

    private void accept(JsonNode record) {
        if (incremental && !window.admit(record)) {
            return;
        }
        List<FieldChange> changes = RecordMapper.none();
        pending.add(new Row(mapper.row(record, changes), changes));
    }

    private Map<String, Object> checkpoint(JsonNode parent, boolean partitionDone) {
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

    private void startPartition(JsonNode parent) {
        partitionStarted = true;
        String url = Paginator.firstUrl(config.baseUrl(), stream, key -> lookup(key, parent));
        if (incremental) {
            window = new CursorWindow(stream.name(), stream.incremental(), cursorType, stream.primaryKey(), state,
                    parent == null ? "" : ":" + parentKey(parent), config.startDate() == null ? null : config.startDate().toString());
            if (window.lowerBound() != null && stream.incremental().requestParam() != null) {
                url = Urls.withParam(url, stream.incremental().requestParam(), window.lowerBound());
            }
        }
        nextUrl = url;
    }

    private String parentKey(JsonNode parent) {
        HttpManifest.Stream p = config.manifest().stream(stream.parent());
        List<String> keys = p.primaryKey().isEmpty() ? List.of(p.schema().field(0).name()) : p.primaryKey();
        StringBuilder key = new StringBuilder();
        for (String k : keys) {
            key.append(key.length() == 0 ? "" : ",").append(parent.path(k).asText());
        }
        return key.toString();
    }

    private Map<String, String> interpolated(Map<String, String> templates, JsonNode parent) {
        Map<String, String> out = new LinkedHashMap<>();
        templates.forEach((k, v) -> out.put(k, Urls.interpolate(v, key -> lookup(key, parent), s -> s)));
        return out;
    }

    private String lookup(String key, JsonNode parent) {
        if (key.startsWith("config.")) {
            String value = config.value(key.substring(7));
            if (value == null) {
                throw CaravanException.config("stream " + stream.name() + " uses {{" + key + "}} but option '" + key.substring(7)
                        + "' is not set (or not an option of the http source)");
            }
            return value;
        }
        if (parent == null) {
            throw CaravanException.config("stream " + stream.name() + " uses {{" + key + "}} but has no parent stream");
        }
        JsonNode v = parent.get(key.substring(7));
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** The parent stream's records (all of them, full refresh): a substream reads one partition per parent. */
    private List<JsonNode> parents(String parentName) {
        HttpManifest.Stream p = config.manifest().stream(parentName);
        List<JsonNode> records = new ArrayList<>();
        String url = Paginator.firstUrl(config.baseUrl(), p, key -> lookup(key, null));
        Set<String> captured = Paginator.captured(p.pagination());
        while (url != null) {
            int before = records.size();
            try (HttpRequester.Response response = requester.get(url, interpolated(p.headers(), null), Set.of())) {
                Map<String, String> values = PageParser.parse(url, response.body(), p.records(), captured, records::add);
                url = Paginator.next(p.pagination(), url, records.size() - before, values, response.headers(),
                        records.size() > before ? records.get(records.size() - 1) : null);
            }
        }
        return records;
    }

    @Override
    public List<String> warnings() {
        return warnings.size() > 5 ? List.of(warnings.get(0) + " (and " + (warnings.size() - 1) + " more partitions)") : List.copyOf(warnings);
    }

    @Override
    public void close() {
        pending.clear();
        requester.close();
    }
}
