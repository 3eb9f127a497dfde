package dev.caravan.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.EmbeddedSecrets;
import dev.caravan.spi.SplitReads;
import dev.caravan.spi.SyncMode;

import dev.caravan.sync.SchemaPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads one entry of {@code connections:} and its streams, recording every problem. */
final class ConnectionParser {
    static final List<String> KEYS = List.of("name", "source", "destination", "namespace", "prefix", "enabled", "schedule", "streams", "webhook", "routes",
            "schema_changes", "backfill_new_columns", "flatten_json_depth");
    static final List<String> STREAM_KEYS = List.of("name", "sync_mode", "cursor_field", "primary_key", "fields", "split_reads");

    private final Set<String> sources;
    private final Set<String> destinations;
    private final List<ConfigProblem> problems;

    /** {@code sources} and {@code destinations}: every name a connection may refer to. */
    ConnectionParser(Set<String> sources, Set<String> destinations, List<ConfigProblem> problems) {
        this.sources = new TreeSet<>(sources);
        this.destinations = new TreeSet<>(destinations);
        this.problems = problems;
    }

    /** The connection, or null after recording its problems. */
    ConnectionConfig parse(JsonNode node, String path) {
        int before = problems.size();
        YamlMap map = YamlMap.of(node, path, problems).orElse(null);
        if (map == null) {
            return null;
        }
        map.allowOnly(KEYS);
        String name = Names.name(map, "name", "give the connection a unique name, e.g. name: demo", problems);
        String source = reference(map, "source", "source", sources);
        String destination = reference(map, "destination", "destination", destinations);
        String namespace = pathPart(map, "namespace", ConnectionConfig.DEFAULT_NAMESPACE);
        String prefix = pathPart(map, "prefix", ConnectionConfig.DEFAULT_PREFIX);
        boolean enabled = map.bool("enabled", ConnectionConfig.DEFAULT_ENABLED);
        Schedule schedule = ScheduleParser.parse(map.get("schedule"), map.path("schedule"), problems);
        RouteMode routes = routeMode(map);
        List<ConfiguredStream> streams = List.of();
        if (routes == RouteMode.HAND_WRITTEN) {
            if (!absentOrEmpty(map, "streams")) {
                problems.add(new ConfigProblem(map.path("streams"), null, "a connection with routes: hand_written takes its streams from its route "
                        + "files (routes from caravan-source:" + name + "/<stream>); remove streams, or remove routes to have Caravan generate them"));
            }
            if (schedule != null && !(schedule instanceof Schedule.Manual)) {
                problems.add(new ConfigProblem(map.path("schedule"), map.get("schedule").toString(), "a connection with routes: hand_written is "
                        + "scheduled by its route files: add a route from quartz: to caravan-sync:" + name + ", and remove schedule here"));
            }
        } else {
            streams = streams(map);
        }
        URI webhook = webhook(map);
        SchemaPolicy schemaChanges = schemaPolicy(map);
        boolean backfill = map.bool("backfill_new_columns", false);
        int flattenDepth = flattenDepth(map);
        if (problems.size() > before) {
            return null;
        }
        return new ConnectionConfig(name, source, destination, namespace, prefix, enabled, schedule, streams, webhook, routes, schemaChanges, backfill,
                flattenDepth);
    }

    private RouteMode routeMode(YamlMap map) {
        String text = map.string("routes", null);
        if (text == null) {
            return RouteMode.GENERATED;
        }
        return RouteMode.fromConfigName(text).orElseGet(() -> {
            problems.add(new ConfigProblem(map.path("routes"), text, "use generated (Caravan writes the connection's route file, the default) "
                    + "or hand_written (your own route files in the route directory hold its routes)"));
            return RouteMode.GENERATED;
        });
    }

    private int flattenDepth(YamlMap map) {
        JsonNode value = map.get("flatten_json_depth");
        if (value == null) {
            return 0;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > ConnectionConfig.MAX_FLATTEN_JSON_DEPTH) {
            problems.add(new ConfigProblem(map.path("flatten_json_depth"), value.asText(), "use a whole number from 0 (off, the default) to "
                    + ConnectionConfig.MAX_FLATTEN_JSON_DEPTH + ": how many levels of JSON objects are flattened into parent_child columns"));
            return 0;
        }
        return value.asInt();
    }

    private SchemaPolicy schemaPolicy(YamlMap map) {
        String text = map.string("schema_changes", null);
        if (text == null) {
            return SchemaPolicy.DEFAULT;
        }
        return SchemaPolicy.fromConfigName(text).orElseGet(() -> {
            problems.add(new ConfigProblem(map.path("schema_changes"), text, "use one of " + String.join(", ", SchemaPolicy.allNames())
                    + " (what a sync does when a stream's source schema changed; default " + SchemaPolicy.DEFAULT.configName() + ")"));
            return SchemaPolicy.DEFAULT;
        });
    }

    private URI webhook(YamlMap map) {
        String text = map.string("webhook", null);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (ConfigRules.isWebhook(uri)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problems.add(new ConfigProblem(map.path("webhook"), EmbeddedSecrets.masked(text), ConfigRules.WEBHOOK_RULE));
        return null;
    }

    private String reference(YamlMap map, String key, String kind, Set<String> declared) {
        String name = Names.name(map, key, "set the name of the " + kind + " to " + (kind.equals("source") ? "read from" : "write to"), problems);
        if (name != null && !declared.contains(name)) {
            String fix = "is not a declared " + kind + "; declare it under " + kind + "s"
                    + (declared.isEmpty() ? "" : " or use one of: " + String.join(", ", declared));
            problems.add(new ConfigProblem(map.path(key), name, fix));
        }
        return name;
    }

    private String pathPart(YamlMap map, String key, String defaultValue) {
        String value = map.string(key, null);
        if (value == null) {
            return defaultValue;
        }
        boolean namespace = key.equals("namespace");
        if (namespace ? !ConfigRules.isNamespace(value) : !ConfigRules.isPrefix(value)) {
            problems.add(new ConfigProblem(map.path(key), value, namespace ? ConfigRules.NAMESPACE_RULE : ConfigRules.PREFIX_RULE));
        }
        return value;
    }

    private List<ConfiguredStream> streams(YamlMap map) {
        List<JsonNode> items = map.list("streams");
        if (absentOrEmpty(map, "streams")) {
            problems.add(new ConfigProblem(map.path("streams"), null, "list at least one stream to sync, e.g. streams: [{name: users}]"));
        }
        List<ConfiguredStream> streams = new ArrayList<>();
        Map<String, String> firstPaths = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = map.path("streams") + "[" + i + "]";
            ConfiguredStream stream = stream(items.get(i), path);
            JsonNode name = items.get(i).get("name");
            if (name != null && name.isTextual()) {
                String first = firstPaths.putIfAbsent(name.textValue(), path);
                if (first != null) {
                    problems.add(new ConfigProblem(path + ".name", name.textValue(), "is already listed as " + first + "; list each stream once"));
                }
            }
            if (stream != null) {
                streams.add(stream);
            }
        }
        return streams;
    }

    private ConfiguredStream stream(JsonNode node, String path) {
        int before = problems.size();
        YamlMap map = YamlMap.of(node, path, problems).orElse(null);
        if (map == null) {
            return null;
        }
        map.allowOnly(STREAM_KEYS);
        String name = map.string("name", "set the name of the stream to sync, as the source's catalog lists it");
        if (name != null && !ConfigRules.isStreamName(name)) {
            problems.add(new ConfigProblem(map.path("name"), name, ConfigRules.STREAM_NAME_RULE));
        }
        SyncMode mode = syncMode(map);
        String cursor = map.string("cursor_field", null);
        if (cursor != null && cursor.isBlank()) {
            problems.add(new ConfigProblem(map.path("cursor_field"), cursor, "must not be blank; name the cursor field or remove the key"));
        }
        List<String> primaryKey = map.strings("primary_key");
        List<String> fields = map.strings("fields");
        if (mode != null && mode.incremental() && map.get("cursor_field") == null) {
            problems.add(new ConfigProblem(map.path("cursor_field"), null, "is required for sync_mode " + mode
                    + ": set the field whose increasing values mark new or changed rows, e.g. cursor_field: updated_at"));
        }
        if (mode == SyncMode.INCREMENTAL_APPEND_DEDUPED && absentOrEmpty(map, "primary_key")) {
            problems.add(new ConfigProblem(map.path("primary_key"), null, "is required for sync_mode " + mode
                    + ": list the fields that identify a row, e.g. primary_key: [id]"));
        }
        if (!fields.isEmpty()) {
            if (cursor != null && !cursor.isBlank() && !fields.contains(cursor)) {
                problems.add(new ConfigProblem(map.path("fields"), cursor,
                        "add the cursor_field '" + cursor + "' to fields, or remove fields to select them all"));
            }
            for (String key : primaryKey) {
                if (!fields.contains(key)) {
                    problems.add(new ConfigProblem(map.path("fields"), key,
                            "add the primary_key field '" + key + "' to fields, or remove fields to select them all"));
                }
            }
        }
        SplitReads split = splitReads(map, mode);
        if (problems.size() > before) {
            return null;
        }
        return new ConfiguredStream(name, mode, cursor, primaryKey, fields, split);
    }

    /** True when {@code key} is missing or an empty list; a value of the wrong type is reported on its own. */
    private static boolean absentOrEmpty(YamlMap map, String key) {
        JsonNode value = map.get(key);
        return value == null || value.isArray() && value.isEmpty();
    }

    /** The stream's {@code split_reads}, null when not set (the source's setting applies) or after recording a problem. */
    private SplitReads splitReads(YamlMap map, SyncMode mode) {
        JsonNode value = map.get("split_reads");
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        // YAML 1.1 reads a plain off as false
        SplitReads split = value.isBoolean() ? (value.booleanValue() ? null : SplitReads.OFF) : SplitReads.parse(text).orElse(null);
        if (split == null) {
            problems.add(new ConfigProblem(map.path("split_reads"), text, SplitReads.RULE));
            return null;
        }
        if (mode != null && mode.incremental() && !split.off()) {
            problems.add(new ConfigProblem(map.path("split_reads"), text, "sync_mode " + mode + " reads in cursor order, so its stream is "
                    + "never split: remove split_reads, or use a full refresh mode to read the table in parallel key ranges"));
            return null;
        }
        return split;
    }

    private SyncMode syncMode(YamlMap map) {
        String text = map.string("sync_mode", null);
        if (text == null) {
            return map.get("sync_mode") == null ? ConfiguredStream.DEFAULT_SYNC_MODE : null;
        }
        return SyncMode.fromConfigName(text).orElseGet(() -> {
            problems.add(new ConfigProblem(map.path("sync_mode"), text, "use one of " + SyncMode.allNames()));
            return null;
        });
    }
}
