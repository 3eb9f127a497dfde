package dev.caravan.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A record filter condition of a manifest: comparisons joined by {@code and} / {@code or} ({@code and} binds tighter;
 * no parentheses, no functions, no scripting). Grammar (docs/connectors/http.md):
 * <pre>
 * condition  := conjunction ("or" conjunction)*
 * conjunction:= comparison ("and" comparison)*
 * comparison := operand ("==" | "!=" | "<" | "<=" | ">" | ">=") operand
 * operand    := record.a[.b...] | config.x | state.x | 'text' | number | true | false | null
 * </pre>
 * Two numbers compare as numbers, two ISO-8601 date-times as instants, anything else as texts; an ordering with a
 * missing or null side is false.
 */
final class RecordFilter {
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(==|!=|<=|>=|<|>)|'((?:[^'\\\\]|\\\\.)*)'|(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)|([A-Za-z_][A-Za-z0-9_.]*))");

    private record Operand(String kind, String value, String[] path) {}

    private record Comparison(Operand left, String op, Operand right) {}

    private final String text;
    /** Disjunction of conjunctions. */
    private final List<List<Comparison>> any;

    private RecordFilter(String text, List<List<Comparison>> any) {
        this.text = text;
        this.any = any;
    }

    /** Parses {@code text}; a syntax error is an IllegalArgumentException saying where and what was expected. */
    static RecordFilter parse(String text) {
        List<String[]> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (text.substring(at).isBlank()) {
                break;
            }
            while (Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("unexpected '" + text.substring(at).strip() + "' at character " + (at + 1));
            }
            String[] t = m.group(1) != null ? new String[]{"op", m.group(1)} : m.group(2) != null ? new String[]{"text", m.group(2).replaceAll("\\\\(.)", "$1")}
                    : m.group(3) != null ? new String[]{"number", m.group(3)} : new String[]{"word", m.group(4)};
            tokens.add(t);
            at = m.end();
        }
        List<List<Comparison>> any = new ArrayList<>();
        List<Comparison> all = new ArrayList<>();
        int i = 0;
        while (true) {
            if (i + 3 > tokens.size()) {
                throw new IllegalArgumentException("expected a comparison such as record.state == 'open' after " + describe(tokens, i));
            }
            Operand left = operand(tokens.get(i));
            if (!"op".equals(tokens.get(i + 1)[0])) {
                throw new IllegalArgumentException("expected one of == != < <= > >= after " + tokens.get(i)[1] + ", found '" + tokens.get(i + 1)[1] + "'");
            }
            all.add(new Comparison(left, tokens.get(i + 1)[1], operand(tokens.get(i + 2))));
            i += 3;
            if (i == tokens.size()) {
                any.add(all);
                return new RecordFilter(text, any);
            }
            String joiner = tokens.get(i)[1];
            if ("or".equals(joiner)) {
                any.add(all);
                all = new ArrayList<>();
            } else if (!"and".equals(joiner)) {
                throw new IllegalArgumentException("expected 'and' or 'or', found '" + joiner + "'");
            }
            i++;
        }
    }

    private static String describe(List<String[]> tokens, int i) {
        return i == 0 ? "the start" : "'" + tokens.get(i - 1)[1] + "'";
    }

    private static Operand operand(String[] token) {
        switch (token[0]) {
            case "text", "number" -> {
                return new Operand(token[0], token[1], null);
            }
            case "word" -> {
                String w = token[1];
                if (w.equals("true") || w.equals("false") || w.equals("null")) {
                    return new Operand(w.equals("null") ? "null" : "text", w, null);
                }
                String[] parts = w.split("\\.");
                if (parts.length >= 2 && (parts[0].equals("record") || parts.length == 2 && (parts[0].equals("config") || parts[0].equals("state")))) {
                    return new Operand(parts[0], w, java.util.Arrays.copyOfRange(parts, 1, parts.length));
                }
                throw new IllegalArgumentException("'" + w + "' is not record.<field>, config.<option>, state.<key>, a 'quoted text', a number, true, false or null");
            }
            default -> throw new IllegalArgumentException("expected a value, found '" + token[1] + "'");
        }
    }

    /** Whether {@code record} passes; {@code lookup} resolves "config.x" and "state.x" (null when unset). */
    boolean test(JsonNode record, Function<String, String> lookup) {
        for (List<Comparison> all : any) {
            boolean ok = true;
            for (Comparison c : all) {
                if (!compare(value(c.left(), record, lookup), c.op(), value(c.right(), record, lookup))) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    /** A value as [text, isNumber] or null. */
    private static Object[] value(Operand o, JsonNode record, Function<String, String> lookup) {
        switch (o.kind()) {
            case "null" -> {
                return null;
            }
            case "number" -> {
                return new Object[]{o.value(), true};
            }
            case "text" -> {
                return new Object[]{o.value(), false};
            }
            case "record" -> {
                JsonNode v = record;
                for (String p : o.path()) {
                    v = v == null ? null : v.get(p);
                }
                return v == null || v.isNull() ? null : new Object[]{v.isContainerNode() ? v.toString() : v.asText(), v.isNumber()};
            }
            default -> {
                String v = lookup.apply(o.value());
                return v == null || v.isEmpty() ? null : new Object[]{v, false};
            }
        }
    }

    private static boolean compare(Object[] a, String op, Object[] b) {
        if (a == null || b == null) {
            return switch (op) {
                case "==" -> a == b;
                case "!=" -> a != b;
                default -> false;
            };
        }
        int cmp = order((String) a[0], (boolean) a[1], (String) b[0], (boolean) b[1]);
        return switch (op) {
            case "==" -> cmp == 0;
            case "!=" -> cmp != 0;
            case "<" -> cmp < 0;
            case "<=" -> cmp <= 0;
            case ">" -> cmp > 0;
            default -> cmp >= 0;
        };
    }

    private static int order(String a, boolean aNumber, String b, boolean bNumber) {
        if (aNumber || bNumber) {
            try {
                return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
            } catch (NumberFormatException e) {
                return a.compareTo(b);
            }
        }
        if (a.length() >= 20 && b.length() >= 20 && Character.isDigit(a.charAt(0)) && Character.isDigit(b.charAt(0))) {
            try {
                return OffsetDateTime.parse(a).toInstant().compareTo(OffsetDateTime.parse(b).toInstant());
            } catch (RuntimeException e) {
                return a.compareTo(b);
            }
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        return text;
    }
}
