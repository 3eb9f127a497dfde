package dev.caravan.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Map;

/** The URL of a stream's first page and of the page after each one, per pagination type; null = no more pages. */
final class Paginator {
    private Paginator() {
    }

    /** The URL of the first page of {@code stream}: path and params interpolated with {@code lookup} ("config.x", "parent.x", "state.x"). */
    static String firstUrl(String baseUrl, HttpManifest.Stream stream, java.util.function.Function<String, String> lookup) {
        String url = baseUrl + Urls.interpolate(stream.path(), lookup, Urls::pathSegment);
        for (Map.Entry<String, String> p : stream.params().entrySet()) {
            String value = Urls.interpolate(p.getValue(), lookup, s -> s);
            if (!value.isEmpty()) { // e.g. {{state.start}} on a first sync: the parameter is left out
                url = Urls.withParam(url, p.getKey(), value);
            }
        }
        return first(stream.pagination(), url);
    }

    /** The JSON pointers of a page whose scalars the pagination needs. */
    static java.util.Set<String> captured(HttpManifest.Pagination p) {
        java.util.Set<String> pointers = new java.util.HashSet<>();
        if (p.pointer() != null) {
            pointers.add(p.pointer());
        }
        if (p.stopPointer() != null) {
            pointers.add(p.stopPointer());
        }
        return pointers;
    }

    static String first(HttpManifest.Pagination p, String url) {
        String out = url;
        if (p.sizeParam() != null && p.size() > 0) {
            out = Urls.withParam(out, p.sizeParam(), Long.toString(p.size()));
        }
        if ("page_number".equals(p.type()) || "offset".equals(p.type())) {
            out = Urls.withParam(out, p.param(), Long.toString(p.start()));
        }
        return out;
    }

    /**
     * The next page after the one at {@code url}, which held {@code count} records (before any client-side filter),
     * the scalars captured at the pagination's pointers, the response headers and its last record.
     */
    static String next(HttpManifest.Pagination p, String url, int count, Map<String, String> values, Map<String, String> headers, JsonNode last) {
        switch (p.type()) {
            case "page_number", "offset" -> {
                if (count == 0 || p.size() > 0 && count < p.size()) {
                    return null;
                }
                String current = Urls.param(url, p.param());
                long value = current == null ? p.start() : Long.parseLong(current);
                return Urls.withParam(url, p.param(), Long.toString("offset".equals(p.type()) ? value + count : value + 1));
            }
            case "cursor" -> {
                if (p.stopPointer() != null && !"true".equals(values.get(p.stopPointer()))) {
                    return null;
                }
                String token = switch (p.from()) {
                    case "header" -> headers.get(p.header());
                    case "last_record" -> last == null || last.path(p.field()).isMissingNode() ? null : last.path(p.field()).asText();
                    default -> values.get(p.pointer());
                };
                return token == null || token.isEmpty() || count == 0 && "last_record".equals(p.from()) ? null : Urls.withParam(url, p.param(), token);
            }
            case "link" -> {
                String next = Urls.linkNext(headers);
                return next == null ? null : URI.create(url).resolve(next).toString();
            }
            default -> {
                return null;
            }
        }
    }
}
