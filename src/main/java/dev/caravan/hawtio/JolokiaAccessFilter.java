package dev.caravan.hawtio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.security.Role;
import dev.caravan.security.RolePrincipal;
import dev.caravan.security.TokenService;
import dev.caravan.security.UserPrincipal;
import dev.caravan.spi.SecretRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.security.auth.Subject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Role checks on Jolokia, after Hawtio's own authentication filter (installed by {@code hawtio/override-web.xml}, so it
 * runs inside the authenticated subject). A {@code viewer} may read, list, search and call operations that only read
 * ({@code get*}, {@code is*}, {@code dump*}, ...); writes and every other operation (a connection's {@code syncNow},
 * stopping a route) need {@code editor} or {@code admin}. A session whose token was revoked ends at its next request.
 * With authentication off (loopback only) everything passes. Answers are masked of the server's secrets ({@link SecretRegistry}).
 */
public final class JolokiaAccessFilter implements Filter {
    /** Servlet context attribute holding the {@link TokenService}; absent when authentication is off. */
    public static final String TOKENS_ATTRIBUTE = "caravan.tokens";
    /** Servlet context attribute holding the server's {@link SecretRegistry}. */
    public static final String SECRETS_ATTRIBUTE = "caravan.secrets";
    private static final Logger LOG = LoggerFactory.getLogger(JolokiaAccessFilter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> READ_TYPES = Set.of("read", "list", "search", "version");
    private static final Pattern READ_ONLY_OPERATION = Pattern.compile("(get|is|has|list|dump|count|can|find|explain)([A-Z(].*)?");
    private static final Pattern PATH_SEPARATOR = Pattern.compile("(?<!!)/");
    private static final int MAX_BODY = 1 << 20;

    private TokenService tokens;
    private SecretRegistry secrets;

    @Override
    public void init(FilterConfig config) {
        tokens = (TokenService) config.getServletContext().getAttribute(TOKENS_ATTRIBUTE);
        secrets = (SecretRegistry) config.getServletContext().getAttribute(SECRETS_ATTRIBUTE);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (tokens == null) {
            masked(request, response, chain);
            return;
        }
        Subject subject = Subjects.current(request);
        Optional<String> user = principal(subject, UserPrincipal.class).map(UserPrincipal::getName);
        Optional<Role> role = principal(subject, RolePrincipal.class).map(RolePrincipal::role);
        if (user.isEmpty() || role.isEmpty()) {
            deny(response, 403, "not logged in with a Caravan token");
            return;
        }
        if (!tokens.exists(user.get())) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            deny(response, 401, "token '" + user.get() + "' was revoked; log in again");
            return;
        }
        if (role.get().includes(Role.EDITOR) || "OPTIONS".equals(request.getMethod())) {
            masked(request, response, chain);
            return;
        }
        HttpServletRequest effective = request;
        List<String> denied;
        if ("POST".equals(request.getMethod())) {
            byte[] body = readBody(request.getInputStream());
            if (body == null) {
                deny(response, 413, "request too large");
                return;
            }
            effective = new CachedBodyRequest(request, body);
            denied = deniedInBody(body);
        } else {
            denied = deniedInPath(request.getPathInfo());
        }
        if (!denied.isEmpty()) {
            LOG.info("Jolokia: token '{}' ({}) may not {}", user.get(), role.get().configName(), denied);
            deny(response, 403, "role " + role.get().configName() + " may only read; " + String.join(", ", denied) + " needs role editor or admin");
            return;
        }
        masked(effective, response, chain);
    }

    /** Passes the request on; its answer is masked of the server's secrets, except a stream of events (never buffered). */
    private void masked(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("text/event-stream")) {
            chain.doFilter(request, response);
            return;
        }
        MaskedResponse masked = new MaskedResponse(response, secrets);
        chain.doFilter(request, masked);
        masked.send();
    }

    /** What a GET request asks for: {@code /<type>/<mbean>/<operation or attribute>/...}. */
    static List<String> deniedInPath(String pathInfo) {
        if (pathInfo == null || pathInfo.equals("/") || pathInfo.isEmpty()) {
            return List.of();
        }
        String[] parts = PATH_SEPARATOR.split(pathInfo.startsWith("/") ? pathInfo.substring(1) : pathInfo);
        String type = parts[0];
        String mbean = parts.length > 1 ? parts[1] : "";
        String operation = parts.length > 2 ? parts[2] : "";
        return denial(type, mbean, operation).map(List::of).orElse(List.of());
    }

    /** What a POST request asks for: one request object or a list of them. */
    static List<String> deniedInBody(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return List.of("(unreadable request)");
        }
        List<String> denied = new ArrayList<>();
        for (JsonNode request : root.isArray() ? root : List.of(root)) {
            denial(request.path("type").asText(""), request.path("mbean").asText(""), request.path("operation").asText(""))
                    .ifPresent(denied::add);
        }
        return denied;
    }

    private static Optional<String> denial(String type, String mbean, String operation) {
        String kind = type.toLowerCase();
        if (READ_TYPES.contains(kind)) {
            return Optional.empty();
        }
        if (kind.equals("exec") && READ_ONLY_OPERATION.matcher(operation).matches()) {
            return Optional.empty();
        }
        return Optional.of(kind.equals("exec") ? "exec " + operation + " on " + mbean : kind + (mbean.isEmpty() ? "" : " on " + mbean));
    }

    private static <T extends java.security.Principal> Optional<T> principal(Subject subject, Class<T> type) {
        return subject == null ? Optional.empty() : subject.getPrincipals(type).stream().findFirst();
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    private static void deny(HttpServletResponse response, int status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error_type", "java.lang.SecurityException");
        body.put("error", message);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
