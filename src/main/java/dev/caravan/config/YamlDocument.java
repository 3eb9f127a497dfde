package dev.caravan.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML text into a tree. Syntax errors become one {@link ConfigProblem} naming the origin, line and column.
 * The problem never quotes the offending line: it may hold a secret.
 */
public final class YamlDocument {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)'");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");
    private static final String SYNTAX_HINT = "correct the syntax there (indent with spaces, not tabs;"
            + " quote values that contain ': ', ' #' or start with a special character)";

    private YamlDocument() {
    }

    /** The document's root node; {@link MissingNode} when the text holds no document (empty or comments only). */
    public static JsonNode read(String text, String origin) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            JsonNode root = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                int line = parser.currentLocation().getLineNr();
                throw new ConfigException(new ConfigProblem(origin, null, "holds more than one YAML document (another one starts"
                        + " near line " + line + "); keep one document per file and remove the '---' separator"));
            }
            return root == null ? MissingNode.getInstance() : root;
        } catch (JsonProcessingException e) {
            throw new ConfigException(syntaxProblem(e, origin));
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private static ConfigProblem syntaxProblem(JsonProcessingException e, String origin) {
        int line;
        int column;
        String what;
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            line = yaml.getProblemMark().getLine() + 1;
            column = yaml.getProblemMark().getColumn() + 1;
            what = yaml.getProblem();
            Mark context = yaml.getContextMark();
            if (yaml.getContext() != null && context != null) {
                what += " (" + yaml.getContext() + " that starts at line " + (context.getLine() + 1)
                        + ", column " + (context.getColumn() + 1) + ")";
            }
        } else {
            JsonLocation location = e.getLocation();
            line = location == null ? 0 : location.getLineNr();
            column = location == null ? 0 : location.getColumnNr();
            Matcher duplicate = DUPLICATE_KEY.matcher(e.getOriginalMessage());
            if (duplicate.matches()) {
                return new ConfigProblem(origin + ":" + line + ":" + column, null, "invalid YAML at line " + line + ", column "
                        + column + ": key '" + duplicate.group(1) + "' appears twice in the same map; keep only one");
            }
            // Jackson quotes the scalar it could not read (e.g. Malformed numeric value '.nan'); it may be a secret.
            what = QUOTED.matcher(e.getOriginalMessage()).replaceAll("'…'");
        }
        return new ConfigProblem(origin + ":" + line + ":" + column, null,
                "invalid YAML at line " + line + ", column " + column + ": " + what + "; " + SYNTAX_HINT);
    }
}
