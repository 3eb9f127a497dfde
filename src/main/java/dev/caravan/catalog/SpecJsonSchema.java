package dev.caravan.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorSpec;

/** Renders a connector's options as the JSON Schema published in connector-catalog/<name>/spec.json. */
public final class SpecJsonSchema {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SpecJsonSchema() {
    }

    public static ObjectNode render(ConnectorSpec spec) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", spec.title());
        root.put("type", "object");
        root.put("additionalProperties", false);
        ArrayNode required = root.putArray("required");
        ObjectNode properties = root.putObject("properties");
        for (ConfigOption option : spec.options()) {
            ObjectNode property = properties.putObject(option.name());
            property.put("type", switch (option.type()) {
                case STRING -> "string";
                case INTEGER -> "integer";
                case BOOLEAN -> "boolean";
            });
            property.put("description", option.description());
            if (option.defaultValue() != null) {
                property.set("default", MAPPER.valueToTree(option.defaultValue()));
            }
            if (!option.allowedValues().isEmpty()) {
                ArrayNode values = property.putArray("enum");
                option.allowedValues().forEach(values::add);
            }
            if (option.minimum() != null) {
                property.put("minimum", option.minimum());
            }
            if (option.maximum() != null) {
                property.put("maximum", option.maximum());
            }
            if (option.secret()) {
                property.put("writeOnly", true);
                property.put("x-secret", true);
            }
            if (option.required()) {
                required.add(option.name());
            }
        }
        return root;
    }

    public static String renderText(ConnectorSpec spec) {
        try {
            return MAPPER.writeValueAsString(render(spec)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
