package dev.caravan.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.StreamSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON text columns of schema change detection: a stream's baseline schema and a job stream's schema changes. */
final class SchemaColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<SchemaChange>> CHANGES = new TypeReference<>() { };

    private SchemaColumns() {
    }

    static String writeChanges(List<SchemaChange> changes) {
        return changes == null || changes.isEmpty() ? null : write(changes);
    }

    static List<SchemaChange> readChanges(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return MAPPER.readValue(json, CHANGES);
        } catch (JsonProcessingException e) {
            throw CaravanException.system("Corrupt schema changes in the state database: " + json, e);
        }
    }

    static String writeSchema(StreamSchema schema) {
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Field field : schema.fields()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", field.name());
            f.put("type", field.type().kind().name());
            f.put("precision", field.type().precision());
            f.put("scale", field.type().scale());
            f.put("nullable", field.nullable());
            fields.add(f);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("fields", fields);
        json.put("removed", schema.removed());
        json.put("primary_key", schema.primaryKey());
        json.put("selected", schema.selected());
        return write(json);
    }

    @SuppressWarnings("unchecked")
    static StreamSchema readSchema(String text) {
        try {
            Map<String, Object> json = MAPPER.readValue(text, new TypeReference<Map<String, Object>>() { });
            List<Field> fields = new ArrayList<>();
            for (Map<String, Object> f : (List<Map<String, Object>>) json.get("fields")) {
                FieldType.Kind kind = FieldType.Kind.valueOf((String) f.get("type"));
                FieldType type = kind == FieldType.Kind.DECIMAL ? FieldType.decimal(((Number) f.get("precision")).intValue(),
                        ((Number) f.get("scale")).intValue()) : new FieldType(kind, 0, 0);
                fields.add(new Field((String) f.get("name"), type, Boolean.TRUE.equals(f.get("nullable"))));
            }
            return new StreamSchema(fields, (List<String>) json.get("removed"), (List<String>) json.get("primary_key"),
                    (List<String>) json.get("selected"));
        } catch (JsonProcessingException | RuntimeException e) {
            throw CaravanException.system("Corrupt stream schema in the state database: " + text, e);
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw CaravanException.system("Cannot serialize " + value, e);
        }
    }
}
