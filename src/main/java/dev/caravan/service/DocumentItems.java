package dev.caravan.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.spi.ConfigProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The items of a configs-as-code document ({@code sources[i]}, {@code destinations[i]}, {@code connections[i]}) that are
 * still to be applied, so that a document can be applied without its invalid items. Problems of the reduced document
 * are mapped back to the paths of the original one; dropping a source or destination drops the document's connections
 * that use it, each with a problem saying why.
 */
final class DocumentItems {
    static final List<String> SECTIONS = List.of("sources", "destinations", "connections");
    private static final Pattern ITEM = Pattern.compile("^(sources|destinations|connections)\\[(\\d+)]");

    private final JsonNode document;
    /** section → original indices of the items still kept, in order. */
    private final Map<String, List<Integer>> kept = new LinkedHashMap<>();

    DocumentItems(JsonNode document) {
        this.document = document;
        for (String section : SECTIONS) {
            List<Integer> indices = new ArrayList<>();
            JsonNode items = document == null ? null : document.get(section);
            if (items != null && items.isArray()) {
                for (int i = 0; i < items.size(); i++) {
                    indices.add(i);
                }
            }
            kept.put(section, indices);
        }
    }

    /** The document with only the kept items, as JSON text (which YAML parsers read as it is). */
    String render() {
        if (!(document instanceof ObjectNode object)) {
            return String.valueOf(document);
        }
        ObjectNode reduced = object.deepCopy();
        for (String section : SECTIONS) {
            JsonNode items = object.get(section);
            if (items != null && items.isArray()) {
                ArrayNode copy = reduced.putArray(section);
                kept.get(section).forEach(i -> copy.add(items.get(i)));
            }
        }
        return reduced.toString();
    }

    boolean isEmpty() {
        return kept.values().stream().allMatch(List::isEmpty);
    }

    /** The problem with its path in the original document. */
    ConfigProblem original(ConfigProblem problem) {
        Matcher m = ITEM.matcher(problem.path());
        if (!m.find()) {
            return problem;
        }
        List<Integer> indices = kept.get(m.group(1));
        int index = Integer.parseInt(m.group(2));
        if (index >= indices.size()) {
            return problem;
        }
        return new ConfigProblem(m.group(1) + "[" + indices.get(index) + "]" + problem.path().substring(m.end()), problem.value(), problem.fix());
    }

    /** The item (section and original index) an original path belongs to, if any. */
    static Optional<Map.Entry<String, Integer>> itemOf(String path) {
        Matcher m = ITEM.matcher(path);
        return m.find() ? Optional.of(Map.entry(m.group(1), Integer.parseInt(m.group(2)))) : Optional.empty();
    }

    /**
     * Drops the item, and the kept connections that use it when it is a source or destination (each reported in
     * {@code problems}). Returns false when the item was no longer kept.
     */
    boolean drop(String section, int index, List<ConfigProblem> problems) {
        if (!kept.get(section).remove(Integer.valueOf(index))) {
            return false;
        }
        if (section.equals("connections")) {
            return true;
        }
        String name = document.get(section).get(index).path("name").asText(null);
        String key = section.equals("sources") ? "source" : "destination";
        JsonNode connections = document.get("connections");
        for (int i : List.copyOf(kept.get("connections"))) {
            if (name != null && name.equals(connections.get(i).path(key).asText(null))) {
                kept.get("connections").remove(Integer.valueOf(i));
                problems.add(new ConfigProblem("connections[" + i + "]." + key, name, "uses " + section + "[" + index + "], which is invalid;"
                        + " fix it to apply this connection"));
            }
        }
        return true;
    }

    /** What an item is, for reports: e.g. {@code connection demo}. */
    String describe(String section, int index) {
        String name = document.get(section).get(index).path("name").asText("?");
        return section.substring(0, section.length() - 1) + " " + name;
    }
}
