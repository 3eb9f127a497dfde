package dev.caravan.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.ConfigProblem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One YAML map of the document at a known path: typed getters that record a {@link ConfigProblem} instead of failing,
 * so a whole document is checked in one pass. A key set to null ({@code key:} or {@code key: ~}) counts as absent.
 */
final class YamlMap {
    private final JsonNode node;
    private final String path;
    private final List<ConfigProblem> problems;

    private YamlMap(JsonNode node, String path, List<ConfigProblem> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** The map at {@code path}, or empty after recording that {@code node} is not a map. */
    static Optional<YamlMap> of(JsonNode node, String path, List<ConfigProblem> problems) {
        if (node.isObject()) {
            return Optional.of(new YamlMap(node, path, problems));
        }
        problems.add(new ConfigProblem(path, shown(node), "must be a map, not " + kind(node)));
        return Optional.empty();
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void allowOnly(List<String> known) {
        for (String key : (Iterable<String>) () -> node.fieldNames()) {
            if (!known.contains(key)) {
                String suggestion = closest(key, known).map(k -> " did you mean '" + k + "'?").orElse("");
                problems.add(new ConfigProblem(path(key), null,
                        "unknown key '" + key + "';" + suggestion + " known keys: " + String.join(", ", known)));
            }
        }
    }

    /** The value at {@code key}, or null when absent or null. */
    JsonNode get(String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    /** The string at {@code key}; null when absent (recording a problem with {@code requiredHint} if not null) or not a string. */
    String string(String key, String requiredHint) {
        JsonNode value = get(key);
        if (value == null) {
            if (requiredHint != null) {
                problems.add(new ConfigProblem(path(key), null, "is required: " + requiredHint));
            }
            return null;
        }
        if (!value.isTextual()) {
            String fix = value.isContainerNode() ? "must be a string, not " + kind(value) : "must be a string, not " + kind(value) + "; put it in quotes";
            problems.add(new ConfigProblem(path(key), shown(value), fix));
            return null;
        }
        return value.textValue();
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            problems.add(new ConfigProblem(path(key), shown(value), "must be true or false, not " + kind(value)));
            return defaultValue;
        }
        return value.booleanValue();
    }

    /** The items at {@code key}; empty when absent or (recording a problem) not a list. */
    List<JsonNode> list(String key) {
        JsonNode value = get(key);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            String fix = value.isValueNode() ? "must be a list, not " + kind(value) + "; write it as [" + value.asText() + "]"
                    : "must be a list, not " + kind(value);
            problems.add(new ConfigProblem(path(key), shown(value), fix));
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    /** A list of distinct, non-blank strings such as field names; bad entries are recorded and left out. */
    List<String> strings(String key) {
        List<String> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<JsonNode> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String itemPath = path(key) + "[" + i + "]";
            if (!item.isTextual()) {
                problems.add(new ConfigProblem(itemPath, shown(item), "must be a string, not " + kind(item)));
            } else if (item.textValue().isBlank()) {
                problems.add(new ConfigProblem(itemPath, item.textValue(), "must not be blank; remove it or name a field"));
            } else if (!seen.add(item.textValue())) {
                problems.add(new ConfigProblem(itemPath, item.textValue(), "is listed twice; remove the duplicate"));
            } else {
                values.add(item.textValue());
            }
        }
        return values;
    }

    /** How a value shows in a problem: scalars as their text, maps and lists not at all. */
    static String shown(JsonNode value) {
        return value == null || value.isContainerNode() || value.isNull() ? null : value.asText();
    }

    static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "a map";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true/false";
            case NULL, MISSING -> "empty";
            default -> "binary data";
        };
    }

    /** The known key a typo most likely meant: at most two edits away. */
    private static Optional<String> closest(String key, List<String> known) {
        return known.stream()
                .filter(k -> distance(key, k) <= 2)
                .min(Comparator.comparingInt(k -> distance(key, k)));
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
