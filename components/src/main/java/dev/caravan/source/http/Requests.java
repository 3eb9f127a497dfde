package dev.caravan.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The request of one page: GET, or POST with the stream's JSON body template interpolated (a text field whose
 * placeholders give an empty value is left out) and, with {@code pagination.inject: body}, the page parameters moved
 * from the URL into the body's top level (whole numbers as JSON numbers).
 */
final class Requests {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Request(String method, String url, String body) {}

    private Requests() {
    }

    static Request page(HttpManifest.Stream stream, String url, Function<String, String> lookup) {
        if (!"POST".equals(stream.method())) {
            return new Request("GET", url, null);
        }
        ObjectNode body = stream.body() == null ? JSON.createObjectNode() : (ObjectNode) render(stream.body(), lookup);
        String target = url;
        HttpManifest.Pagination p = stream.pagination();
        if ("body".equals(p.inject())) {
            for (String name : new String[]{p.param(), p.sizeParam()}) {
                String value = name == null ? null : Urls.param(target, name);
                if (value != null) {
                    target = Urls.withoutParam(target, name);
                    body.set(name, value.matches("-?\\d{1,18}") ? LongNode.valueOf(Long.parseLong(value)) : TextNode.valueOf(value));
                }
            }
        }
        return new Request("POST", target, body.toString());
    }

    static Map<String, String> headers(HttpManifest.Stream stream, Function<String, String> lookup) {
        Map<String, String> out = new LinkedHashMap<>();
        stream.headers().forEach((k, v) -> out.put(k, Urls.interpolate(v, lookup, s -> s)));
        return out;
    }

    private static JsonNode render(JsonNode template, Function<String, String> lookup) {
        if (template.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            template.fields().forEachRemaining(e -> {
                JsonNode v = render(e.getValue(), lookup);
                if (v != null) {
                    out.set(e.getKey(), v);
                }
            });
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            template.forEach(v -> {
                JsonNode r = render(v, lookup);
                if (r != null) {
                    out.add(r);
                }
            });
            return out;
        }
        if (template.isTextual() && template.asText().contains("{{")) {
            String value = Urls.interpolate(template.asText(), lookup, s -> s);
            return value.isEmpty() ? null : TextNode.valueOf(value);
        }
        return template;
    }
}
