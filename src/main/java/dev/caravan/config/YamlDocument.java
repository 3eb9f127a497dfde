package dev.caravan.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.error.YAMLException;
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
    /** Largest document read, in characters: far above any real configuration (2,000 connections are ~300 KB). */
    public static final int MAX_CODE_POINTS = 16 * 1024 * 1024;
    static final int MAX_ALIASES = 20;
    static final int MAX_NESTING = 64;
    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder().loaderOptions(limits()).enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * SnakeYAML's own limits, so that a huge, deeply nested or alias-bombed ("billion laughs") document is refused at once
     * instead of exhausting the heap.
     */
    private static LoaderOptions limits() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setAllowRecursiveKeys(false);
        return options;
    }
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
            refuseAliases(text);
            if (parser.nextToken() != null) {
                int line = parser.currentLocation().getLineNr();
                throw new ConfigException(new ConfigProblem(origin, null, "holds more than one YAML document (another one starts"
                        + " near line " + line + "); keep one document per file and remove the '---' separator"));
            }
            return root == null ? MissingNode.getInstance() : root;
        } catch (JsonProcessingException e) {
            Throwable limit = e instanceof StreamConstraintsException ? e : limitOf(e);
            if (limit != null) {
                throw new ConfigException(new ConfigProblem(origin, null, "is refused: " + (limit instanceof StreamConstraintsException c
                        ? c.getOriginalMessage() : limit.getMessage()) + " (a configuration document holds"
                        + " at most " + MAX_CODE_POINTS + " characters, " + MAX_ALIASES + " aliases and " + MAX_NESTING + " levels of nesting);"
                        + " split it into smaller documents, and write values out instead of referring to anchors"));
            }
            throw new ConfigException(syntaxProblem(e, origin));
        } catch (YAMLException e) {
            throw new ConfigException(new ConfigProblem(origin, null, "is refused: " + e.getMessage() + " (a configuration document holds"
                    + " at most " + MAX_CODE_POINTS + " characters, " + MAX_ALIASES + " aliases and " + MAX_NESTING + " levels of nesting);"
                    + " split it into smaller documents, and write values out instead of referring to anchors"));
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    /**
     * Refuses YAML aliases ({@code *name}): the tree reader does not resolve them (a value would silently go missing), and
     * refusing them also ends "billion laughs" documents at their first alias. Reads SnakeYAML's events only (streaming).
     */
    private static void refuseAliases(String text) {
        for (Event event : new Yaml(limits()).parse(new java.io.StringReader(text))) {
            if (event instanceof AliasEvent alias) {
                throw new YAMLException("aliases (*" + alias.getAnchor() + " at line " + (alias.getStartMark().getLine() + 1) + ") are not supported");
            }
        }
    }

    /** SnakeYAML's limit exception behind a parse failure, if that is what it is (not a syntax error: those carry a mark). */
    private static YAMLException limitOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof YAMLException yaml && !(t instanceof MarkedYAMLException)) {
                return yaml;
            }
        }
        return null;
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
