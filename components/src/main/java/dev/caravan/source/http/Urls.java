package dev.caravan.source.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Building request URLs: {{config.x}} / {{parent.x}} / {{state.x}} interpolation, query parameters, and the Link header. */
final class Urls {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(config|parent|state)\\.([A-Za-z0-9_.]+)\\s*}}");
    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");

    private Urls() {
    }

    /** Replaces each placeholder by the value {@code lookup} gives for "config.x" / "parent.x", encoded by {@code encode}. */
    static String interpolate(String template, Function<String, String> lookup, Function<String, String> encode) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = lookup.apply(m.group(1) + "." + m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(encode.apply(value == null ? "" : value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String pathSegment(String value) {
        return HttpRequester.encode(value).replace("+", "%20");
    }

    /** {@code url} with query parameter {@code name} set to {@code value} (replaced when present). */
    static String withParam(String url, String name, String value) {
        String encoded = HttpRequester.encode(name) + "=" + HttpRequester.encode(value);
        int q = url.indexOf('?');
        if (q < 0) {
            return url + "?" + encoded;
        }
        StringBuilder out = new StringBuilder(url.substring(0, q + 1));
        boolean replaced = false;
        for (String pair : url.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String key = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
            if (out.charAt(out.length() - 1) != '?') {
                out.append('&');
            }
            if (key.equals(name)) {
                out.append(encoded);
                replaced = true;
            } else {
                out.append(pair);
            }
        }
        if (!replaced) {
            out.append(out.charAt(out.length() - 1) == '?' ? "" : "&").append(encoded);
        }
        return out.toString();
    }

    /** {@code url} without query parameter {@code name}. */
    static String withoutParam(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringBuilder out = new StringBuilder(url.substring(0, q));
        char sep = '?';
        for (String pair : url.substring(q + 1).split("&")) {
            if (!pair.isEmpty() && !URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8).equals(name)) {
                out.append(sep).append(pair);
                sep = '&';
            }
        }
        return out.toString();
    }

    /** The value of query parameter {@code name} in {@code url}, or null. */
    static String param(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            if (URLDecoder.decode(kv[0], StandardCharsets.UTF_8).equals(name)) {
                return kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            }
        }
        return null;
    }

    /** The rel="next" target of an RFC 8288 Link header, or null. */
    static String linkNext(Map<String, String> headers) {
        String link = headers.get("Link");
        if (link == null) {
            return null;
        }
        Matcher m = LINK_NEXT.matcher(link);
        return m.find() ? m.group(1) : null;
    }
}
