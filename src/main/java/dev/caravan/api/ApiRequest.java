package dev.caravan.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.http.common.HttpMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;

/** The parts of an HTTP request a handler reads: path and query parameters, and a body validated strictly. */
final class ApiRequest {
    private final Exchange exchange;
    private final ObjectMapper json;

    ApiRequest(Exchange exchange, ObjectMapper json) {
        this.exchange = exchange;
        this.json = json;
    }

    /** Who sent the request, as the authentication filter found it. */
    Caller caller() {
        HttpMessage message = exchange.getMessage(HttpMessage.class);
        HttpServletRequest http = message == null ? null : message.getRequest();
        Object caller = http == null ? null : http.getAttribute(Caller.ATTRIBUTE);
        if (caller instanceof Caller known) {
            return known;
        }
        throw new IllegalStateException("no caller on the request: the authentication filter did not run");
    }

    String path(String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    /**
     * A query parameter, read from the raw query string: Camel also copies query parameters into message headers, where
     * an HTTP header of the same name (e.g. {@code Connection}) would shadow them.
     */
    Optional<String> query(String name) {
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                return Optional.of(value).filter(v -> !v.isBlank());
            }
        }
        return Optional.empty();
    }

    int queryInt(String name, int defaultValue, int min, int max) {
        Optional<String> text = query(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get().trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(new ConfigProblem("?" + name, text.get(), "use a whole number between " + min + " and " + max));
    }

    boolean queryBoolean(String name) {
        Optional<String> text = query(name);
        if (text.isEmpty()) {
            return false;
        }
        return switch (text.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(new ConfigProblem("?" + name, text.get(), "use true or false"));
        };
    }

    String text() {
        String body = exchange.getMessage().getBody(String.class);
        return body == null ? "" : body;
    }

    /** The body as JSON; an empty body is an empty object when {@code optional}. */
    JsonNode json(boolean optional) {
        String text = text();
        if (text.isBlank()) {
            if (optional) {
                return json.createObjectNode();
            }
            throw new ConfigException(new ConfigProblem("(body)", null, "send a JSON object (Content-Type: application/json)"));
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigException(new ConfigProblem("(body)", null, "is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())));
        }
    }

    /** A JSON object body holding only {@code allowed} keys; anything else is rejected with the list of known keys. */
    JsonNode object(Set<String> allowed, boolean optional) {
        JsonNode body = json(optional);
        if (!body.isObject()) {
            throw new ConfigException(new ConfigProblem("(body)", null, "send a JSON object with " + String.join(", ", allowed)));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        body.fieldNames().forEachRemaining(key -> {
            if (!allowed.contains(key)) {
                problems.add(new ConfigProblem(key, null, "unknown field; known fields: " + String.join(", ", allowed)));
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return body;
    }

    static String requiredText(JsonNode body, String key) {
        JsonNode value = body.get(key);
        if (value == null || value.isNull()) {
            throw new ConfigException(new ConfigProblem(key, null, "is required"));
        }
        if (!value.isTextual()) {
            throw new ConfigException(new ConfigProblem(key, value.toString(), "must be a string"));
        }
        return value.asText();
    }

    static boolean optionalBoolean(JsonNode body, String key, boolean defaultValue) {
        JsonNode value = body.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw new ConfigException(new ConfigProblem(key, value.toString(), "must be true or false"));
        }
        return value.asBoolean();
    }

    static int optionalInt(JsonNode body, String key, int defaultValue, int min, int max) {
        JsonNode value = body.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw new ConfigException(new ConfigProblem(key, value.toString(), "must be a whole number between " + min + " and " + max));
        }
        return value.asInt();
    }

    static List<String> optionalTextList(JsonNode body, String key) {
        JsonNode value = body.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw new ConfigException(new ConfigProblem(key, item.toString(), "must be a list of strings"));
                }
                items.add(item.asText());
            }
            return items;
        }
        throw new ConfigException(new ConfigProblem(key, value.toString(), "must be a list of strings"));
    }
}
