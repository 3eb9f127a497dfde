package dev.caravan.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.CaravanException;
import java.util.List;
import java.util.Map;

/** JSON text columns: state maps read back with whole numbers as Long, so checkpoints compare as written. */
final class JsonColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> TEXTS = new TypeReference<>() { };

    private JsonColumns() {
    }

    static String write(Map<String, Object> value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw CaravanException.system("Cannot serialize state " + value, e);
        }
    }

    /** A list of texts as a JSON array; null when empty. */
    static String writeTexts(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(texts);
        } catch (JsonProcessingException e) {
            throw CaravanException.system("Cannot serialize " + texts, e);
        }
    }

    static List<String> readTexts(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return MAPPER.readValue(json, TEXTS);
        } catch (JsonProcessingException e) {
            throw CaravanException.system("Corrupt JSON in the state database: " + json, e);
        }
    }

    static Map<String, Object> read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw CaravanException.system("Corrupt JSON in the state database: " + json, e);
        }
    }
}
