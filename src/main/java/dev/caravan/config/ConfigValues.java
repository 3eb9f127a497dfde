package dev.caravan.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.ConfigProblem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw connector settings as plain Java values: String, Integer, Long, Double, Boolean, List and Map.
 * Whole numbers are Integer when they fit and Long otherwise, so equal settings compare equal however they were built.
 * Values are never shown in problems: any of them may be a secret.
 */
final class ConfigValues {
    private ConfigValues() {
    }

    /** A deep, unmodifiable copy that keeps key order; rejects null and unsupported values (programming errors). */
    static Map<String, Object> immutableCopy(Map<String, ?> map, String what) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (key == null) {
                throw new IllegalArgumentException(what + " has a null key");
            }
            copy.put(key, immutableValue(value, what + "." + key));
        });
        return Collections.unmodifiableMap(copy);
    }

    private static Object immutableValue(Object value, String what) {
        if (value instanceof String || value instanceof Boolean || value instanceof Integer) {
            return value;
        }
        if (value instanceof Long l) {
            if (l == l.intValue()) {
                return l.intValue();
            }
            return l;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (!Double.isFinite(number)) {
                throw new IllegalArgumentException(what + " is " + number + "; only finite numbers can be written back as YAML");
            }
            return number;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(immutableValue(list.get(i), what + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, v) -> {
                if (!(key instanceof String k)) {
                    throw new IllegalArgumentException(what + " has a key that is not a string: " + key);
                }
                copy.put(k, immutableValue(v, what + "." + k));
            });
            return Collections.unmodifiableMap(copy);
        }
        String type = value == null ? "null" : value.getClass().getName();
        throw new IllegalArgumentException(what + " has an unsupported value of type " + type);
    }

    /** Converts a parsed YAML map; returns null and records problems (without values) when a value is unusable. */
    static Map<String, Object> fromYaml(JsonNode map, String path, List<ConfigProblem> problems) {
        int before = problems.size();
        Object value = plain(map, path, problems);
        return problems.size() > before ? null : immutableCopy(castMap(value), path);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castMap(Object value) {
        return (Map<String, ?>) value;
    }

    private static Object plain(JsonNode node, String path, List<ConfigProblem> problems) {
        switch (node.getNodeType()) {
            case STRING:
                return node.textValue();
            case BOOLEAN:
                return node.booleanValue();
            case NUMBER:
                if (node.isIntegralNumber() && !node.canConvertToLong()) {
                    problems.add(new ConfigProblem(path, null, "is a whole number too large for 64 bits; use a smaller number or a string"));
                    return null;
                }
                if (node.isIntegralNumber()) {
                    return node.longValue();
                }
                return node.doubleValue();
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    list.add(plain(node.get(i), path + "[" + i + "]", problems));
                }
                return list;
            }
            case OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> entry : node.properties()) {
                    map.put(entry.getKey(), plain(entry.getValue(), path + "." + entry.getKey(), problems));
                }
                return map;
            }
            case NULL:
            case MISSING:
                problems.add(new ConfigProblem(path, null, "has no value; give it a value or remove the key"));
                return null;
            default:
                problems.add(new ConfigProblem(path, null, "has an unsupported YAML type; use a string, number, true/false, list or map"));
                return null;
        }
    }
}
