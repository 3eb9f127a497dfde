package dev.caravan.source.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.caravan.spi.CaravanException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The problems of one manifest file, each with its line: those found by the manifest's JSON Schema
 * ({@code manifest.schema.json} beside this class, draft 2020-12) and those found by the loader's own checks (cross
 * references, filter grammar, ...). Where both report the same field, the loader's message (which names the fix) is kept.
 */
final class ManifestProblems {
    private record Problem(String pointer, String path, String message) {}

    private static final Pattern STEP = Pattern.compile("\\.([^.\\[]+)|\\[([^]]+)]");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final com.networknt.schema.Schema SCHEMA = load();

    private final String file;
    private final JsonNode root;
    private final Map<String, Integer> lines;
    private final List<Problem> problems = new ArrayList<>();

    ManifestProblems(String file, String text, JsonNode root) {
        this.file = file;
        this.root = root;
        this.lines = lines(text);
    }

    private static com.networknt.schema.Schema load() {
        try (InputStream in = ManifestProblems.class.getResourceAsStream("manifest.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("manifest.schema.json is missing from the class path", e);
        }
    }

    /** A problem found by the loader at {@code path} (".streams[name].pagination.type", ".auth", "(top)"). */
    void add(String path, String message) {
        problems.add(new Problem(pointer(path), path, message));
    }

    /** Validates the tree against the JSON Schema; adds the problems at fields the loader said nothing about. */
    void addSchemaProblems() {
        for (Error e : SCHEMA.validate(root)) {
            StringBuilder pointer = new StringBuilder();
            StringBuilder path = new StringBuilder();
            NodePath at = e.getInstanceLocation();
            for (int i = 0; i < at.getNameCount(); i++) {
                step(at.getElement(i), pointer, path);
            }
            String message = e.getMessage();
            if (e.getProperty() != null && ("additionalProperties".equals(e.getKeyword()) || "required".equals(e.getKeyword()))) {
                step(e.getProperty(), pointer, path);
                message = "additionalProperties".equals(e.getKeyword()) ? "unknown key" : "is required";
            } else {
                message = message.replaceFirst("^\\$[^:]*: ", "");
            }
            String p = pointer.toString();
            if (problems.stream().noneMatch(x -> x.pointer().equals(p) || x.pointer().startsWith(p + "/"))) {
                problems.add(new Problem(p, path.length() == 0 ? "(top)" : path.toString(), message));
            }
        }
    }

    private void step(Object element, StringBuilder pointer, StringBuilder path) {
        if (element instanceof Integer i) {
            JsonNode node = at(pointer.toString());
            String name = node == null ? null : node.path(i).path("name").asText(null);
            path.append('[').append(name != null && pointer.toString().equals("/streams") ? name : Integer.toString(i)).append(']');
        } else {
            path.append('.').append(element);
        }
        pointer.append('/').append(element.toString().replace("~", "~0").replace("/", "~1"));
    }

    private JsonNode at(String pointer) {
        return pointer.isEmpty() ? root : root.at(pointer);
    }

    void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        problems.sort(Comparator.comparingInt(p -> line(p.pointer())));
        List<String> out = new ArrayList<>();
        for (Problem p : problems) {
            out.add("line " + line(p.pointer()) + ": " + p.path() + ": " + p.message());
        }
        throw CaravanException.config("manifest " + file + " is invalid: " + String.join("; ", out));
    }

    /** The line of the value at {@code pointer}, or of its nearest ancestor present in the file. */
    private int line(String pointer) {
        for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
            Integer line = lines.get(p);
            if (line != null || p.isEmpty()) {
                return line == null ? 1 : line;
            }
        }
    }

    /** ".streams[name].a.b" → "/streams/3/a/b" (a stream by its name or index). */
    private String pointer(String path) {
        StringBuilder pointer = new StringBuilder();
        Matcher m = STEP.matcher(path);
        while (m.find()) {
            if (m.group(1) != null) {
                pointer.append('/').append(m.group(1));
            } else {
                String key = m.group(2);
                JsonNode list = at(pointer.toString());
                int index = key.matches("\\d+") ? Integer.parseInt(key) : -1;
                for (int i = 0; index < 0 && list != null && i < list.size(); i++) {
                    if (key.equals(list.path(i).path("name").asText(null))) {
                        index = i;
                    }
                }
                pointer.append('/').append(index < 0 ? key : Integer.toString(index));
            }
        }
        return pointer.toString();
    }

    /** The line of each value (of each key's line, for mapping entries) by JSON pointer. */
    private static Map<String, Integer> lines(String text) {
        Map<String, Integer> out = new HashMap<>();
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            if (parser.nextToken() != null) {
                walk(parser, "", out);
            }
        } catch (IOException e) {
            // the tree was read already; without lines, problems point at line 1
        }
        return out;
    }

    private static void walk(JsonParser parser, String pointer, Map<String, Integer> out) throws IOException {
        out.putIfAbsent(pointer, parser.currentTokenLocation().getLineNr());
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String child = pointer + "/" + parser.currentName().replace("~", "~0").replace("/", "~1");
                out.put(child, parser.currentTokenLocation().getLineNr());
                parser.nextToken();
                walk(parser, child, out);
            }
        } else if (parser.currentToken() == JsonToken.START_ARRAY) {
            int i = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                walk(parser, pointer + "/" + i++, out);
            }
        }
    }
}
