package dev.caravan.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A declarative HTTP API as read from a YAML manifest (reference: docs/connectors/http.md). Loading validates the file
 * against the manifest's JSON Schema and checks every key and reference, reporting all problems at once, each naming
 * the file, the line and the field path.
 */
record HttpManifest(String file, String baseUrl, Auth auth, Requester requester, List<Stream> streams) {

    record Auth(String type, String in, String name, String tokenUrl, String grant) {}

    /** {@code requestsPerSecond} and {@code maxConcurrentRequests} (0 = unlimited) hold per connector instance ({@link InstanceLimits}). */
    record Requester(int maxRetries, long backoffMs, long timeoutMs, double requestsPerSecond, int maxConcurrentRequests, Set<Integer> ignoreStatus) {}

    /** {@code inject}: where the page parameters go, {@code query} (default) or {@code body} (top-level JSON fields). */
    record Pagination(String type, String param, long start, String sizeParam, long size, String from, String pointer,
                      String header, String field, String stopPointer, String inject) {}

    /** {@code lookback}: ISO-8601 duration or number re-read below the saved cursor, null = none. */
    record Incremental(String cursorField, String requestParam, boolean ascending, String lookback, int maxKeysAtCursor) {}

    /**
     * A stream. {@code schema} is null when it is inferred from the first {@code sampleSize} records; {@code body} (a
     * JSON template, POST only) and {@code filter} are null when absent.
     */
    record Stream(String name, String path, Map<String, String> params, Map<String, String> headers, String records,
                  List<String> primaryKey, String parent, Set<Integer> parentIgnoreStatus, Pagination pagination,
                  Incremental incremental, Schema schema, String method, JsonNode body, RecordFilter filter, int sampleSize) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static HttpManifest load(Path path) {
        JsonNode root;
        String text;
        try {
            text = Files.readString(path);
            root = YAML.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw CaravanException.config("manifest " + path + ": line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ": cannot be read as YAML: " + e.getOriginalMessage().lines().findFirst().orElse("") + " (fix the file named by option 'manifest')");
        } catch (IOException e) {
            throw CaravanException.config("manifest " + path + ": cannot be read: " + e.getMessage() + " (fix option 'manifest')");
        }
        ManifestProblems problems = new ManifestProblems(path.toString(), text, root);
        Checker c = new Checker(problems);
        HttpManifest manifest = c.manifest(root, path.toString());
        problems.addSchemaProblems();
        problems.throwIfAny();
        return manifest;
    }

    Stream stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> CaravanException.config("manifest " + file + " has no stream '" + name + "'; streams: "
                        + streams.stream().map(Stream::name).toList()));
    }

    /** Reads the tree, collecting every problem with its field path. */
    private static final class Checker {
        private final ManifestProblems problems;

        Checker(ManifestProblems problems) {
            this.problems = problems;
        }

        private void problem(String path, String message) {
            problems.add(path, message);
        }

        private void keys(JsonNode node, String path, String... allowed) {
            if (node == null || !node.isObject()) {
                return;
            }
            List<String> known = List.of(allowed);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!known.contains(key)) {
                    problem(path + "." + key, "unknown key; known keys: " + String.join(", ", known));
                }
            }
        }

        private String text(JsonNode node, String key, String path, boolean required, String fallback, String... allowed) {
            JsonNode v = node == null ? null : node.get(key);
            if (v == null || v.isNull()) {
                if (required) {
                    problem(path + "." + key, "is required");
                }
                return fallback;
            }
            if (!v.isValueNode()) {
                problem(path + "." + key, "must be a text, not " + v.getNodeType().name().toLowerCase());
                return fallback;
            }
            if (allowed.length > 0 && !List.of(allowed).contains(v.asText())) {
                problem(path + "." + key, "'" + v.asText() + "' is not one of " + String.join(", ", allowed));
            }
            return v.asText();
        }

        private long number(JsonNode node, String key, String path, long fallback) {
            JsonNode v = node == null ? null : node.get(key);
            if (v == null) {
                return fallback;
            }
            if (!v.canConvertToLong() || v.asLong() < 0) {
                problem(path + "." + key, "'" + v.asText() + "' must be a whole number >= 0");
                return fallback;
            }
            return v.asLong();
        }

        private Set<Integer> statuses(JsonNode node, String key, String path) {
            JsonNode v = node == null ? null : node.get(key);
            if (v == null) {
                return Set.of();
            }
            List<Integer> list = new ArrayList<>();
            for (JsonNode s : v) {
                if (!s.canConvertToInt() || s.asInt() < 400 || s.asInt() > 599) {
                    problem(path + "." + key, "'" + s.asText() + "' is not an HTTP error status (400-599)");
                } else {
                    list.add(s.asInt());
                }
            }
            return Set.copyOf(list);
        }

        private Map<String, String> strings(JsonNode node, String key, String path) {
            Map<String, String> map = new LinkedHashMap<>();
            JsonNode v = node.get(key);
            if (v != null) {
                v.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
            }
            return map;
        }

        HttpManifest manifest(JsonNode root, String file) {
            if (root == null || !root.isObject()) {
                problem("(top)", "must be a mapping with version, base_url and streams");
                return null;
            }
            keys(root, "", "version", "base_url", "auth", "requester", "streams");
            if (root.path("version").asInt() != 1) {
                problem(".version", "must be 1");
            }
            String baseUrl = text(root, "base_url", "", true, null);
            JsonNode a = root.get("auth");
            keys(a, ".auth", "type", "in", "name", "token_url", "grant");
            Auth auth = a == null ? new Auth("none", null, null, null, null)
                    : new Auth(text(a, "type", ".auth", true, "none", "none", "api_key", "bearer", "basic", "oauth2"),
                    text(a, "in", ".auth", false, "header", "header", "query"), text(a, "name", ".auth", false, "X-Api-Key"),
                    text(a, "token_url", ".auth", "oauth2".equals(a.path("type").asText()), null),
                    text(a, "grant", ".auth", false, "client_credentials", "client_credentials", "refresh_token"));
            JsonNode r = root.get("requester");
            keys(r, ".requester", "max_retries", "backoff_ms", "timeout_ms", "requests_per_second", "max_concurrent_requests", "ignore_status");
            Requester requester = new Requester((int) number(r, "max_retries", ".requester", 5), number(r, "backoff_ms", ".requester", 500),
                    number(r, "timeout_ms", ".requester", 30_000), r == null ? 0 : r.path("requests_per_second").asDouble(0),
                    (int) Math.min(10_000, number(r, "max_concurrent_requests", ".requester", 0)),
                    statuses(r, "ignore_status", ".requester"));
            List<Stream> streams = new ArrayList<>();
            JsonNode s = root.get("streams");
            if (s == null || !s.isArray() || s.isEmpty()) {
                problem(".streams", "must list at least one stream");
            } else {
                for (int i = 0; i < s.size(); i++) {
                    streams.add(stream(s.get(i), ".streams[" + i + "]"));
                }
                for (Stream st : streams) {
                    if (st.parent() != null && streams.stream().noneMatch(p -> p.name().equals(st.parent()))) {
                        problem(".streams[" + st.name() + "].parent.stream", "no stream named '" + st.parent() + "'");
                    }
                    Set<String> chain = new java.util.LinkedHashSet<>(List.of(st.name()));
                    for (Stream cur = st; cur != null && cur.parent() != null; ) {
                        String up = cur.parent();
                        if (!chain.add(up)) {
                            problem(".streams[" + st.name() + "].parent.stream", "parents form a cycle: " + String.join(" -> ", chain) + " -> " + up);
                            break;
                        }
                        cur = streams.stream().filter(x -> x.name().equals(up)).findFirst().orElse(null);
                    }
                }
            }
            return new HttpManifest(file, baseUrl, auth, requester, streams);
        }

        private Stream stream(JsonNode s, String path) {
            String name = text(s, "name", path, true, "?");
            path = ".streams[" + name + "]";
            keys(s, path, "name", "path", "method", "params", "headers", "body", "records", "record_filter", "primary_key", "parent", "pagination",
                    "incremental", "schema", "schema_sample_size");
            List<String> pk = new ArrayList<>();
            s.path("primary_key").forEach(k -> pk.add(k.asText()));
            JsonNode p = s.get("parent");
            keys(p, path + ".parent", "stream", "ignore_status");
            JsonNode g = s.get("pagination");
            keys(g, path + ".pagination", "type", "param", "start", "size_param", "size", "from", "pointer", "header", "field", "stop_pointer", "inject");
            String gp = path + ".pagination";
            Pagination pagination = g == null ? new Pagination("none", null, 0, null, 0, null, null, null, null, null, "query")
                    : new Pagination(text(g, "type", gp, true, "none", "none", "page_number", "offset", "cursor", "link"),
                    text(g, "param", gp, List.of("page_number", "offset", "cursor").contains(g.path("type").asText()), null),
                    number(g, "start", gp, "offset".equals(g.path("type").asText()) ? 0 : 1), text(g, "size_param", gp, false, null),
                    number(g, "size", gp, 0), text(g, "from", gp, false, "body", "body", "header", "last_record"),
                    text(g, "pointer", gp, false, null), text(g, "header", gp, false, null), text(g, "field", gp, false, null),
                    text(g, "stop_pointer", gp, false, null), text(g, "inject", gp, false, "query", "query", "body"));
            JsonNode inc = s.get("incremental");
            keys(inc, path + ".incremental", "cursor_field", "request_param", "ascending", "lookback", "max_keys_at_cursor");
            Incremental incremental = inc == null ? null : new Incremental(text(inc, "cursor_field", path + ".incremental", true, null),
                    text(inc, "request_param", path + ".incremental", false, null), inc.path("ascending").asBoolean(true),
                    text(inc, "lookback", path + ".incremental", false, null),
                    (int) Math.min(1_000_000, number(inc, "max_keys_at_cursor", path + ".incremental", 10_000)));
            Schema schema = schema(s.get("schema"), path + ".schema");
            for (String k : pk) {
                if (schema != null && schema.indexOf(k) < 0) {
                    problem(path + ".primary_key", "'" + k + "' is not a property of the schema");
                }
            }
            if (incremental != null && schema != null && incremental.cursorField() != null && schema.indexOf(incremental.cursorField()) < 0) {
                problem(path + ".incremental.cursor_field", "'" + incremental.cursorField() + "' is not a property of the schema");
            }
            if (incremental != null && incremental.lookback() != null && schema != null && schema.indexOf(incremental.cursorField()) >= 0) {
                String why = CursorWindow.lookbackProblem(incremental.lookback(), schema.field(incremental.cursorField()).orElseThrow().type());
                if (why != null) {
                    problem(path + ".incremental.lookback", "'" + incremental.lookback() + "' " + why);
                }
            }
            String method = text(s, "method", path, false, "GET", "GET", "POST");
            JsonNode body = s.get("body");
            if (body != null && (!body.isObject() || !"POST".equals(method))) {
                problem(path + ".body", body.isObject() ? "needs method: POST" : "must be a mapping (the JSON object sent)");
            }
            if ("body".equals(pagination.inject()) && !"POST".equals(method)) {
                problem(path + ".pagination.inject", "'body' needs method: POST");
            }
            RecordFilter filter = null;
            String condition = text(s, "record_filter", path, false, null);
            if (condition != null) {
                try {
                    filter = RecordFilter.parse(condition);
                } catch (IllegalArgumentException e) {
                    problem(path + ".record_filter", "'" + condition + "': " + e.getMessage() + " (grammar: docs/connectors/http.md#record-filter)");
                }
            }
            long sample = number(s, "schema_sample_size", path, 100);
            if (sample < 1 || sample > 100_000) {
                problem(path + ".schema_sample_size", "'" + sample + "' must be between 1 and 100000");
            }
            return new Stream(name, text(s, "path", path, true, ""), strings(s, "params", path), strings(s, "headers", path),
                    text(s, "records", path, false, ""), List.copyOf(pk), p == null ? null : text(p, "stream", path + ".parent", true, null),
                    statuses(p, "ignore_status", path + ".parent"), pagination, incremental, schema, method,
                    "POST".equals(method) && body != null && body.isObject() ? body : null, filter, (int) sample);
        }

        private Schema schema(JsonNode node, String path) {
            if (node == null) {
                return null;
            }
            JsonNode props = node.get("properties");
            if (props == null || !props.isObject() || props.isEmpty()) {
                problem(path + ".properties", "is required: declare the JSON Schema of the stream's records, or leave schema out to infer it from a sample");
                return null;
            }
            List<Field> fields = new ArrayList<>();
            props.fields().forEachRemaining(e -> fields.add(Field.nullable(e.getKey(), type(e.getValue(), path + ".properties." + e.getKey()))));
            return new Schema(fields);
        }

        private FieldType type(JsonNode prop, String path) {
            String type = prop.path("type").isArray() ? firstNonNull(prop.path("type")) : prop.path("type").asText();
            switch (type) {
                case "integer": return FieldType.INT64;
                case "number": return FieldType.FLOAT64;
                case "boolean": return FieldType.BOOLEAN;
                case "object": case "array": return FieldType.JSON;
                case "string":
                    String format = prop.path("format").asText("");
                    return "date-time".equals(format) ? FieldType.TIMESTAMP_TZ : "date".equals(format) ? FieldType.DATE : FieldType.STRING;
                default:
                    problem(path + ".type", "'" + type + "' is not one of string, integer, number, boolean, object, array");
                    return FieldType.STRING;
            }
        }

        private static String firstNonNull(JsonNode types) {
            for (JsonNode t : types) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "string";
        }
    }
}
