package dev.caravan.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Optional normalization of one stream's sync: the JSON object columns of each row are flattened into columns named
 * {@code parent_child} (nested objects down to {@code maxDepth} levels; deeper objects and arrays stay JSON text in
 * their column), beside the JSON column, which is kept as it is. The flattened columns and their types (boolean,
 * bigint, double, text, JSON) are fixed by the first batch that has rows, because every file of a sync has one schema;
 * keys seen only later stay in the JSON column and are reported once by {@link #notes()}. A value that does not fit
 * its column's type is written as null and listed in the row's {@code _airbyte_meta.changes}. A flattened name that
 * a column already has is not flattened.
 */
public final class JsonFlattener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxDepth;
    /** JSON column index → the flattened columns taken from it: name → (path, type); fixed with the first rows. */
    private Map<Integer, LinkedHashMap<String, Leaf>> columns;
    private Schema input;
    private Schema output;
    private final List<String> notes = new ArrayList<>();
    private final java.util.Set<String> unknownKeys = new java.util.TreeSet<>();
    /** Flattened names a column has already: never flattened, never reported as new. */
    private final java.util.Set<String> clashing = new java.util.HashSet<>();

    private record Leaf(List<String> path, FieldType type) {
    }

    public JsonFlattener(int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1");
        }
        this.maxDepth = maxDepth;
    }

    public RecordBatch apply(RecordBatch batch) {
        if (columns == null) {
            if (batch.rows().isEmpty()) {
                return batch;
            }
            plan(batch);
        }
        if (!batch.schema().equals(input)) {
            throw new IllegalStateException("the batches of one sync changed schema: " + input + " then " + batch.schema());
        }
        if (columns.isEmpty()) {
            return batch;
        }
        int width = input.size();
        List<Object[]> rows = new ArrayList<>(batch.size());
        Map<Integer, List<FieldChange>> changes = new HashMap<>(batch.changes());
        for (int r = 0; r < batch.size(); r++) {
            Object[] row = batch.rows().get(r);
            Object[] out = new Object[output.size()];
            System.arraycopy(row, 0, out, 0, width);
            int next = width;
            for (Map.Entry<Integer, LinkedHashMap<String, Leaf>> column : columns.entrySet()) {
                JsonNode object = parse(row[column.getKey()]);
                for (Map.Entry<String, Leaf> leaf : column.getValue().entrySet()) {
                    JsonNode value = at(object, leaf.getValue().path());
                    Object converted = value == null || value.isNull() ? null : convert(value, leaf.getValue().type());
                    if (value != null && !value.isNull() && converted == null) {
                        List<FieldChange> rowChanges = new ArrayList<>(changes.getOrDefault(r, List.of()));
                        rowChanges.add(new FieldChange(leaf.getKey(), FieldChange.NULLED, FieldChange.DESTINATION_SERIALIZATION_ERROR));
                        changes.put(r, rowChanges);
                    }
                    out[next++] = converted;
                }
                if (object != null && object.isObject()) {
                    collectUnknown(object, input.field(column.getKey()).name(), List.of(), column.getValue());
                }
            }
            rows.add(out);
        }
        return new RecordBatch(output, rows, batch.checkpoint(), changes);
    }

    /** What the operator should know: keys that appeared after the columns were fixed (they stay in the JSON column). */
    public List<String> notes() {
        List<String> all = new ArrayList<>(notes);
        if (!unknownKeys.isEmpty()) {
            all.add("JSON keys first seen after this sync's flattened columns were fixed stay in their JSON column only: "
                    + String.join(", ", unknownKeys) + " (the next sync flattens them)");
        }
        return all;
    }

    private void plan(RecordBatch batch) {
        input = batch.schema();
        columns = new LinkedHashMap<>();
        List<Field> fields = new ArrayList<>(input.fields());
        java.util.Set<String> taken = new java.util.HashSet<>(input.names());
        for (int c = 0; c < input.size(); c++) {
            Field field = input.field(c);
            if (field.type().kind() != FieldType.Kind.JSON && field.type().kind() != FieldType.Kind.STRING) {
                continue;
            }
            LinkedHashMap<String, Leaf> leaves = new LinkedHashMap<>();
            boolean sawObject = false;
            for (Object[] row : batch.rows()) {
                JsonNode object = parse(row[c]);
                if (object == null || !object.isObject()) {
                    if (object != null && field.type().kind() == FieldType.Kind.STRING) {
                        sawObject = false;
                        leaves.clear();
                        break;
                    }
                    continue;
                }
                sawObject = true;
                collect(object, field.name(), List.of(), 1, leaves);
            }
            // a text column is flattened only when every value of the first rows is a JSON object
            if (!sawObject) {
                continue;
            }
            LinkedHashMap<String, Leaf> kept = new LinkedHashMap<>();
            for (Map.Entry<String, Leaf> leaf : leaves.entrySet()) {
                Leaf typed = leaf.getValue().type() == null ? new Leaf(leaf.getValue().path(), FieldType.STRING) : leaf.getValue();
                if (taken.add(leaf.getKey())) {
                    kept.put(leaf.getKey(), typed);
                    fields.add(Field.nullable(leaf.getKey(), typed.type()));
                } else {
                    clashing.add(leaf.getKey());
                    notes.add("Column " + leaf.getKey() + " exists already: " + field.name() + "." + String.join(".", leaf.getValue().path())
                            + " was not flattened");
                }
            }
            if (!kept.isEmpty()) {
                columns.put(c, kept);
            }
        }
        output = new Schema(fields);
    }

    private void collect(JsonNode object, String prefix, List<String> path, int depth, LinkedHashMap<String, Leaf> leaves) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = prefix + "_" + entry.getKey();
            List<String> at = append(path, entry.getKey());
            JsonNode value = entry.getValue();
            if (value.isObject() && depth < maxDepth) {
                collect(value, name, at, depth + 1, leaves);
            } else if (!value.isNull()) {
                FieldType type = typeOf(value);
                Leaf known = leaves.get(name);
                leaves.put(name, new Leaf(at, known == null || known.type() == null || known.type().equals(type) ? type : merge(known.type(), type)));
            } else {
                // a null says nothing about the type: text unless another row tells
                leaves.putIfAbsent(name, new Leaf(at, null));
            }
        }
    }

    private void collectUnknown(JsonNode object, String prefix, List<String> path, Map<String, Leaf> known) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = prefix + "_" + entry.getKey();
            if (entry.getValue().isObject() && path.size() + 1 < maxDepth) {
                collectUnknown(entry.getValue(), name, append(path, entry.getKey()), known);
            } else if (!known.containsKey(name) && !clashing.contains(name) && unknownKeys.size() < 20) {
                unknownKeys.add(name);
            }
        }
    }

    private static List<String> append(List<String> path, String key) {
        List<String> longer = new ArrayList<>(path);
        longer.add(key);
        return List.copyOf(longer);
    }

    private static FieldType typeOf(JsonNode value) {
        if (value.isBoolean()) {
            return FieldType.BOOLEAN;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return FieldType.INT64;
        }
        if (value.isNumber()) {
            return FieldType.FLOAT64;
        }
        if (value.isTextual()) {
            return FieldType.STRING;
        }
        return FieldType.JSON;
    }

    private static FieldType merge(FieldType a, FieldType b) {
        if (a.kind() == FieldType.Kind.INT64 && b.kind() == FieldType.Kind.FLOAT64 || a.kind() == FieldType.Kind.FLOAT64 && b.kind() == FieldType.Kind.INT64) {
            return FieldType.FLOAT64;
        }
        return a.kind() == FieldType.Kind.JSON || b.kind() == FieldType.Kind.JSON ? FieldType.JSON : FieldType.STRING;
    }

    private static Object convert(JsonNode value, FieldType type) {
        return switch (type.kind()) {
            case BOOLEAN -> value.isBoolean() ? value.booleanValue() : null;
            case INT64 -> value.isIntegralNumber() && value.canConvertToLong() ? value.longValue() : null;
            case FLOAT64 -> value.isNumber() ? value.doubleValue() : null;
            case STRING -> value.isTextual() ? value.textValue() : value.toString();
            default -> value.toString();
        };
    }

    private static JsonNode at(JsonNode object, List<String> path) {
        JsonNode node = object;
        for (String key : path) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        return node;
    }

    private static JsonNode parse(Object value) {
        if (!(value instanceof String text) || text.isEmpty() || text.charAt(0) != '{' && !Character.isWhitespace(text.charAt(0))) {
            return value instanceof String ? com.fasterxml.jackson.databind.node.TextNode.valueOf((String) value) : null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
