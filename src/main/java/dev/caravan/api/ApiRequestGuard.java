package dev.caravan.api;

import dev.caravan.security.JsonErrors;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first filter of {@code /api/*}: what a request must be before anything reads it, and the shape of every error.
 * <ul>
 *   <li>A changing request (POST, PUT, PATCH, DELETE) from a browser page of another origin is refused (403): its
 *   {@code Origin} (else {@code Sec-Fetch-Site}, else {@code Referer}) must be the server's own origin or an allowed one.
 *   Requests that carry none of these (curl, the CLI) are not browser requests and pass.</li>
 *   <li>A changing request with a body, or with a content type, must be JSON ({@code application/json}), or YAML for
 *   {@code /apply}: anything else (an HTML form's {@code text/plain}, {@code multipart/form-data},
 *   {@code application/x-www-form-urlencoded}) is 415 with no side effect.</li>
 *   <li>A body larger than the limit is 413, before it is parsed; the body is read here, at most limit + 1 bytes.</li>
 *   <li>Every error below (404 for an unknown path, 405 for a method a path does not take, a failure of the servlet)
 *   is the API's JSON shape, never the web server's HTML page or a stack trace.</li>
 * </ul>
 */
public final class ApiRequestGuard implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRequestGuard.class);
    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> YAML_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml");

    private final long maxBodyBytes;
    private final List<String> allowedOrigins;
    private final boolean loopbackOnly;

    /**
     * {@code allowedOrigins}: origins besides the server's own, lower case, {@code scheme://host[:port]};
     * {@code loopbackOnly} (authentication off): the server's own origin counts only when the browser reached it by a
     * loopback name, since a DNS-rebound page sends its own name as both {@code Origin} and {@code Host}.
     */
    public ApiRequestGuard(long maxBodyBytes, List<String> allowedOrigins, boolean loopbackOnly) {
        this.maxBodyBytes = maxBodyBytes;
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.loopbackOnly = loopbackOnly;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getRequestURI();
        if (!decodable(request.getQueryString())) {
            JsonErrors.write(response, 400, "BAD_REQUEST", "the query string is not valid URL encoding (a '%' must start a %XX escape);"
                    + " encode the parameters, e.g. with curl --data-urlencode");
            return;
        }
        if (CHANGING.contains(request.getMethod())) {
            Optional<String> foreign = foreignOrigin(request);
            if (foreign.isPresent()) {
                LOG.warn("Refused {} {} from a page of another origin ({})", request.getMethod(), path, foreign.get());
                JsonErrors.write(response, 403, "CROSS_ORIGIN", "a page of " + foreign.get() + " may not change anything here; "
                        + "the API takes changing requests from the server's own origin, from origins listed in caravan.http.allowed-origins, "
                        + "and from clients that are not browsers (curl, the CLI)");
                return;
            }
            String type = mediaType(request.getContentType());
            boolean hasBody = request.getContentLengthLong() > 0 || request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") != null;
            boolean yaml = path.endsWith("/apply");
            if ((hasBody || type != null) && !(yaml ? YAML_TYPES.contains(type) : "application/json".equals(type))) {
                JsonErrors.write(response, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type '" + (type == null ? "" : type) + "' is not accepted here; send "
                        + (yaml ? "YAML with Content-Type: application/yaml" : "JSON with Content-Type: application/json"));
                return;
            }
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            tooLarge(response, request.getContentLengthLong() + " bytes");
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        if (body.length > maxBodyBytes) {
            tooLarge(response, "more than " + maxBodyBytes + " bytes");
            return;
        }
        JsonErrorResponse shaped = new JsonErrorResponse(response);
        try {
            chain.doFilter(new ReadBody(request, body), shaped);
        } catch (IOException | ServletException | RuntimeException e) {
            LOG.error("{} {} failed: {}", request.getMethod(), path, e.toString(), e);
            if (!response.isCommitted()) {
                response.reset();
                JsonErrors.write(response, 500, "INTERNAL", "the request failed inside the server; the log has the details");
            }
        }
    }

    private void tooLarge(HttpServletResponse response, String size) throws IOException {
        JsonErrors.write(response, 413, "PAYLOAD_TOO_LARGE", "the request body has " + size + "; the limit is " + maxBodyBytes
                + " bytes (caravan.http.max-body-bytes): send less, e.g. apply a large document in parts");
    }

    /** The origin of a browser page that sent the request, when it is not this server's nor an allowed one. */
    private Optional<String> foreignOrigin(HttpServletRequest request) {
        String host = request.getHeader("Host");
        String own = loopbackOnly && !isLoopbackName(host) ? null : (request.getScheme() + "://" + host).toLowerCase(Locale.ROOT);
        String origin = request.getHeader("Origin");
        if (origin != null) {
            String normalized = origin.strip().toLowerCase(Locale.ROOT);
            return normalized.equals(own) || allowedOrigins.contains(normalized) ? Optional.empty() : Optional.of(origin);
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return Optional.of("another site (Sec-Fetch-Site: " + site + ")");
        }
        String referer = request.getHeader("Referer");
        if (referer != null) {
            String from = originOf(referer);
            return from.equals(own) || allowedOrigins.contains(from) ? Optional.empty() : Optional.of(from);
        }
        return Optional.empty();
    }

    /** Whether a {@code Host} header names this machine: {@code localhost}, {@code 127.x.x.x} or {@code [::1]}, any port. */
    static boolean isLoopbackName(String host) {
        if (host == null) {
            return false;
        }
        String name = host.strip().toLowerCase(Locale.ROOT);
        int colon = name.startsWith("[") ? name.indexOf(']') + 1 : name.indexOf(':');
        name = colon > 0 && colon < name.length() && name.charAt(colon) == ':' ? name.substring(0, colon) : name;
        return name.equals("localhost") || name.equals("[::1]") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static String originOf(String url) {
        try {
            URI uri = new URI(url);
            return (uri.getScheme() + "://" + uri.getRawAuthority()).toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return "an unreadable Referer";
        }
    }

    private static boolean decodable(String query) {
        if (query == null) {
            return true;
        }
        try {
            java.net.URLDecoder.decode(query, StandardCharsets.UTF_8);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** The request with its body already read (at most the limit), for the servlet to read again. */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body was read already");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    /** Turns the servlet's {@code sendError} (unknown path, wrong method) into the API's JSON error shape. */
    private static final class JsonErrorResponse extends HttpServletResponseWrapper {
        JsonErrorResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            HttpServletResponse response = (HttpServletResponse) getResponse();
            if (response.isCommitted()) {
                return;
            }
            response.resetBuffer();
            switch (status) {
                case 404 -> JsonErrors.write(response, 404, "NOT_FOUND", "no such API path; the operations are listed at /api/v1/openapi.json");
                case 405 -> JsonErrors.write(response, 405, "METHOD_NOT_ALLOWED", "this path does not take this method"
                        + (response.getHeader("Allow") == null ? "" : "; it takes " + response.getHeader("Allow"))
                        + "; see /api/v1/openapi.json");
                case 415 -> JsonErrors.write(response, 415, "UNSUPPORTED_MEDIA_TYPE", "this Content-Type is not accepted here; see /api/v1/openapi.json");
                default -> JsonErrors.write(response, status, status >= 500 ? "INTERNAL" : "BAD_REQUEST",
                        status >= 500 ? "the request failed inside the server; the log has the details" : "the request was refused (HTTP " + status + ")");
            }
            response.flushBuffer();
        }
    }
}
