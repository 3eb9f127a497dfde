package dev.caravan.hawtio;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.security.Role;
import dev.caravan.security.RolePrincipal;
import dev.caravan.security.TokenService;
import dev.caravan.security.UserPrincipal;
import dev.caravan.security.SecretRegistry;
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
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.Subject;

/**
 * Tells Jolokia who is calling, after Hawtio's own authentication filter (installed by {@code hawtio/override-web.xml},
 * so it runs inside the authenticated subject): the caller's role, the HTTP method and the server's own origin are set
 * as the {@link JolokiaCaller} of the request, which Jolokia's restrictor ({@code RoleRestrictor}) decides on. A
 * session whose token was revoked ends at its next request. With authentication off (loopback only) the caller counts
 * as {@code admin}. Answers are masked of the server's secrets ({@link SecretRegistry}).
 */
public final class JolokiaAccessFilter implements Filter {
    /** Servlet context attribute holding the {@link TokenService}; absent when authentication is off. */
    public static final String TOKENS_ATTRIBUTE = "caravan.tokens";
    /** Servlet context attribute holding the server's {@link SecretRegistry}. */
    public static final String SECRETS_ATTRIBUTE = "caravan.secrets";
    private static final ObjectMapper JSON = new ObjectMapper();

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
        Optional<Role> role = tokens == null ? Optional.of(Role.ADMIN) : authenticatedRole(request, response);
        if (role.isEmpty()) {
            return;
        }
        JolokiaCaller caller = new JolokiaCaller(role.get(), "GET".equals(request.getMethod()), request.getScheme(), request.getServerName(),
                request.getServerPort());
        try (JolokiaCaller.Scope scope = caller.enter()) {
            masked(request, response, chain);
        }
    }

    /** The role of the token the request was authenticated with, or empty after answering 401/403. */
    private Optional<Role> authenticatedRole(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Subject subject = Subjects.current(request);
        Optional<String> user = principal(subject, UserPrincipal.class).map(UserPrincipal::getName);
        Optional<Role> role = principal(subject, RolePrincipal.class).map(RolePrincipal::role);
        if (user.isEmpty() || role.isEmpty()) {
            deny(response, 403, "not logged in with a Caravan token");
            return Optional.empty();
        }
        if (!tokens.exists(user.get())) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            deny(response, 401, "token '" + user.get() + "' was revoked; log in again");
            return Optional.empty();
        }
        return role;
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

    private static <T extends Principal> Optional<T> principal(Subject subject, Class<T> type) {
        return subject == null ? Optional.empty() : subject.getPrincipals(type).stream().findFirst();
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
