package dev.caravan.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.CaravanException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The partitions of a substream: one per record of its parent stream, itself read once per record of its own parent
 * (substreams nest to any depth). The parent streams are read whole (full refresh, record filter applied) and held.
 */
final class Partitions {
    /**
     * One parent record, with its own parent (null at the top) and its key path: the parent keys from the top down,
     * joined by '/' (each the primary key values joined by ',', or the first field's value when there is no key).
     */
    record Partition(JsonNode record, Partition parent, String key) {}

    private final HttpConfig config;
    private final HttpRequester requester;

    Partitions(HttpConfig config, HttpRequester requester) {
        this.config = config;
        this.requester = requester;
    }

    /** The records of {@code stream}, each as a partition of its substreams. */
    List<Partition> of(HttpManifest.Stream stream) {
        List<Partition> contexts = stream.parent() == null ? Collections.singletonList(null) : of(config.manifest().stream(stream.parent()));
        List<Partition> out = new ArrayList<>();
        for (Partition context : contexts) {
            String url = Paginator.firstUrl(config.baseUrl(), stream, key -> lookup(config, stream.name(), key, context));
            Set<Integer> ignore = context == null ? Set.of() : stream.parentIgnoreStatus();
            while (url != null) {
                JsonNode[] last = {null};
                Requests.Request request = Requests.page(stream, url, key -> lookup(config, stream.name(), key, context));
                try (HttpRequester.Response response = requester.send(request.method(), request.url(), request.body(),
                        Requests.headers(stream, key -> lookup(config, stream.name(), key, context)), ignore)) {
                    if (response.ignored()) {
                        break;
                    }
                    int[] count = {0};
                    Map<String, String> values = PageParser.parse(url, response.body(), stream.records(), Paginator.captured(stream.pagination()),
                            record -> {
                                count[0]++;
                                last[0] = record;
                                if (stream.filter() == null || stream.filter().test(record, key -> lookup(config, stream.name(), key, context))) {
                                    out.add(new Partition(record, context, key(stream, record, context)));
                                }
                            });
                    url = Paginator.next(stream.pagination(), url, count[0], values, response.headers(), last[0]);
                }
            }
        }
        return out;
    }

    private static String key(HttpManifest.Stream stream, JsonNode record, Partition context) {
        StringBuilder key = new StringBuilder(context == null ? "" : context.key() + "/");
        int start = key.length();
        if (stream.primaryKey().isEmpty()) {
            key.append(record.isObject() && record.size() > 0 ? record.elements().next().asText() : "");
        }
        for (String k : stream.primaryKey()) {
            key.append(key.length() == start ? "" : ",").append(record.path(k).asText());
        }
        return key.toString();
    }

    /** The value of {@code config.x} or {@code parent.x} / {@code parent.parent.x} (a missing field is empty). */
    static String lookup(HttpConfig config, String stream, String key, Partition parent) {
        if (key.startsWith("config.")) {
            String value = config.value(key.substring(7));
            if (value == null) {
                throw CaravanException.config("stream " + stream + " uses {{" + key + "}} but option '" + key.substring(7)
                        + "' is not set (or not an option of the http source)");
            }
            return value;
        }
        if (key.startsWith("state.")) {
            return "";
        }
        Partition p = parent;
        String rest = key;
        while (rest.startsWith("parent.")) {
            if (p == null) {
                throw CaravanException.config("stream " + stream + " uses {{" + key + "}} but has no such parent stream");
            }
            rest = rest.substring(7);
            if (rest.startsWith("parent.")) {
                p = p.parent();
            }
        }
        JsonNode v = p.record().get(rest);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
