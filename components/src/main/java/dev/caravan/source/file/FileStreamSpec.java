package dev.caravan.source.file;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.FieldType;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One stream of the {@code files} source, as declared in its option {@code streams}: the files it reads (glob patterns
 * relative to the folder or bucket root), how they are parsed, its primary key, column type overrides and the sample
 * its schema is inferred from.
 */
record FileStreamSpec(String name, List<String> globs, FileFormat format, List<String> primaryKey,
                      Map<String, FieldType> schemaOverrides, int inferRows, int inferFiles) {

    static final Set<String> KEYS = Set.of("name", "globs", "format", "compression", "primary_key", "schema", "infer_rows",
            "infer_files", "delimiter", "quote_char", "escape_char", "header", "column_names", "encoding", "null_values", "skip_rows");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Set<String> CSV_KEYS = Set.of("delimiter", "quote_char", "escape_char", "header", "column_names", "encoding",
            "null_values", "skip_rows");

    FileStreamSpec {
        globs = List.copyOf(globs);
        primaryKey = List.copyOf(primaryKey);
        schemaOverrides = Map.copyOf(schemaOverrides);
    }

    /** Whether {@code path} (relative, '/'-separated) is one of this stream's files. */
    boolean matches(String path, List<PathMatcher> matchers) {
        java.nio.file.Path p = java.nio.file.Path.of(path);
        return matchers.stream().anyMatch(m -> m.matches(p));
    }

    List<PathMatcher> matchers() {
        return globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    }

    /** The streams of {@code raw} (the parsed option value), each problem named by its place: {@code streams[1].format}. */
    static List<FileStreamSpec> parseAll(Object raw) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw problem("streams", raw, "give a YAML or JSON list of streams, e.g. [{name: orders, globs: [\"orders/*.csv\"], format: csv}]");
        }
        List<FileStreamSpec> streams = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            FileStreamSpec stream = parse("streams[" + i + "]", list.get(i));
            if (!names.add(stream.name())) {
                throw problem("streams[" + i + "].name", stream.name(), "stream names must be unique");
            }
            streams.add(stream);
        }
        return List.copyOf(streams);
    }

    private static FileStreamSpec parse(String at, Object raw) {
        if (!(raw instanceof Map<?, ?> map)) {
            throw problem(at, raw, "each stream is a mapping with name, globs and format");
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw problem(at + "." + key, map.get(key), "unknown key; the keys of a stream are " + new java.util.TreeSet<>(KEYS));
            }
        }
        String name = text(at + ".name", map.get("name"), true);
        if (!NAME.matcher(name).matches()) {
            throw problem(at + ".name", name, "use letters, digits and '_' (1-128, not starting with a digit)");
        }
        List<String> globs = texts(at + ".globs", map.get("globs"));
        if (globs.isEmpty()) {
            throw problem(at + ".globs", map.get("globs"), "give at least one glob pattern relative to the root, e.g. \"orders/**/*.csv\"");
        }
        for (int g = 0; g < globs.size(); g++) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + globs.get(g));
            } catch (RuntimeException e) {
                throw problem(at + ".globs[" + g + "]", globs.get(g), "not a valid glob (" + e.getMessage() + ")");
            }
            if (globs.get(g).startsWith("/")) {
                throw problem(at + ".globs[" + g + "]", globs.get(g), "globs are relative to the folder or bucket root: drop the leading '/'");
            }
        }
        FileFormat.Type type = choice(at + ".format", map.get("format"), FileFormat.Type.class, null);
        Compression compression = choice(at + ".compression", map.get("compression"), Compression.class, Compression.AUTO);
        FileFormat.CsvDialect csv = FileFormat.CsvDialect.DEFAULT;
        if (type == FileFormat.Type.CSV) {
            csv = dialect(at, map);
        } else {
            for (String key : CSV_KEYS) {
                if (map.containsKey(key)) {
                    throw problem(at + "." + key, map.get(key), "only CSV streams take '" + key + "'; this stream's format is " + type.configName());
                }
            }
        }
        List<String> primaryKey = map.containsKey("primary_key") ? texts(at + ".primary_key", map.get("primary_key")) : List.of();
        Map<String, FieldType> overrides = new LinkedHashMap<>();
        if (map.get("schema") != null) {
            if (!(map.get("schema") instanceof Map<?, ?> schema)) {
                throw problem(at + ".schema", map.get("schema"), "give a mapping of column name to type, e.g. {amount: decimal(12,2), id: integer}");
            }
            schema.forEach((column, typeName) -> overrides.put(String.valueOf(column),
                    ColumnTypes.parseType(at + ".schema." + column, String.valueOf(typeName))));
        }
        int inferRows = integer(at + ".infer_rows", map.get("infer_rows"), 1000, 1, 1_000_000);
        int inferFiles = integer(at + ".infer_files", map.get("infer_files"), 10, 1, 10_000);
        return new FileStreamSpec(name, globs, new FileFormat(type, compression, csv), primaryKey, overrides, inferRows, inferFiles);
    }

    private static FileFormat.CsvDialect dialect(String at, Map<?, ?> map) {
        FileFormat.CsvDialect d = FileFormat.CsvDialect.DEFAULT;
        char delimiter = character(at + ".delimiter", map.get("delimiter"), d.delimiter());
        char quote = character(at + ".quote_char", map.get("quote_char"), d.quote());
        Object escapeRaw = map.get("escape_char");
        int escape = escapeRaw == null ? -1 : character(at + ".escape_char", escapeRaw, '\\');
        boolean header = bool(at + ".header", map.get("header"), true);
        List<String> columnNames = map.containsKey("column_names") ? texts(at + ".column_names", map.get("column_names")) : List.of();
        if (!header && columnNames.isEmpty()) {
            throw problem(at + ".column_names", null, "a CSV stream without header needs column_names (the names of its columns, in order)");
        }
        Charset encoding = d.encoding();
        if (map.get("encoding") != null) {
            String name = String.valueOf(map.get("encoding"));
            try {
                encoding = Charset.forName(name);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                throw problem(at + ".encoding", name, "not a charset this JVM knows; use e.g. UTF-8, ISO-8859-1, windows-1252, UTF-16");
            }
        }
        Set<String> nulls = map.containsKey("null_values") ? new LinkedHashSet<>(textsAllowEmpty(at + ".null_values", map.get("null_values"))) : d.nullValues();
        int skipRows = integer(at + ".skip_rows", map.get("skip_rows"), 0, 0, 1_000_000);
        if (delimiter == quote) {
            throw problem(at + ".quote_char", String.valueOf(quote), "the quote character must differ from the delimiter");
        }
        return new FileFormat.CsvDialect(delimiter, quote, escape, header, columnNames, encoding, nulls, skipRows);
    }

    static CaravanException problem(String at, Object value, String fix) {
        return CaravanException.config("option 'streams': " + at + (value == null ? " is missing" : ": '" + value + "' is not valid") + "; " + fix);
    }

    private static String text(String at, Object raw, boolean required) {
        if (raw == null || String.valueOf(raw).isBlank()) {
            if (required) {
                throw problem(at, null, "it is required");
            }
            return null;
        }
        if (raw instanceof Map || raw instanceof List) {
            throw problem(at, raw, "give a text");
        }
        return String.valueOf(raw);
    }

    private static List<String> texts(String at, Object raw) {
        List<String> out = textsAllowEmpty(at, raw);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).isBlank()) {
                throw problem(at + "[" + i + "]", out.get(i), "cannot be blank");
            }
        }
        return out;
    }

    private static List<String> textsAllowEmpty(String at, Object raw) {
        if (raw instanceof String one) {
            return List.of(one);
        }
        if (!(raw instanceof List<?> list)) {
            throw problem(at, raw, "give a list of texts");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object v = list.get(i);
            if (v == null || v instanceof Map || v instanceof List) {
                throw problem(at + "[" + i + "]", v, "give a text");
            }
            out.add(String.valueOf(v));
        }
        return out;
    }

    private static <E extends Enum<E>> E choice(String at, Object raw, Class<E> type, E fallback) {
        String allowed = java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase()).toList().toString();
        if (raw == null) {
            if (fallback == null) {
                throw problem(at, null, "it is required: one of " + allowed);
            }
            return fallback;
        }
        try {
            return Enum.valueOf(type, String.valueOf(raw).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw problem(at, raw, "use one of " + allowed);
        }
    }

    private static char character(String at, Object raw, char fallback) {
        if (raw == null) {
            return fallback;
        }
        String s = String.valueOf(raw);
        if ("\\t".equals(s)) {
            return '\t';
        }
        if (s.length() != 1 || (s.charAt(0) == '\n' || s.charAt(0) == '\r')) {
            throw problem(at, raw, "give exactly one character (\\t for a tab)");
        }
        return s.charAt(0);
    }

    private static boolean bool(String at, Object raw, boolean fallback) {
        if (raw == null) {
            return fallback;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        throw problem(at, raw, "give true or false");
    }

    private static int integer(String at, Object raw, int fallback, int min, int max) {
        if (raw == null) {
            return fallback;
        }
        if (raw instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= min && n.longValue() <= max) {
            return n.intValue();
        }
        throw problem(at, raw, "give a whole number from " + min + " to " + max);
    }
}
