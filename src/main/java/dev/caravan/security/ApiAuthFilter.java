package dev.caravan.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates and authorizes every request to the REST API and {@code /metrics} ({@link AccessRules}): no or an
 * unknown token answers 401, a token whose role is too low 403, both as the API's JSON error shape. The caller is left
 * in the request attribute {@link Caller#ATTRIBUTE}. With authentication off every request is {@link Caller#LOCAL}.
 */
public final class ApiAuthFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiAuthFilter.class);
    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private final TokenService tokens;
    private final UiSessions sessions;

    /** @param tokens the token store; null when authentication is off */
    public ApiAuthFilter(TokenService tokens) {
        this(tokens, null);
    }

    /**
     * @param sessions the web UI's sessions: a request without {@code Authorization} may carry a session cookie instead,
     *                 and then, when it changes something, the session's CSRF token; null: tokens only
     */
    public ApiAuthFilter(TokenService tokens, UiSessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // a hook's route sees the request's headers as message headers: it never gets the caller's credentials to log or forward
        ServletRequest forwarded = path.startsWith(AccessRules.HOOKS + "/") ? new WithoutCredentials(request) : req;
        if (tokens == null) {
            request.setAttribute(Caller.ATTRIBUTE, Caller.LOCAL);
            chain.doFilter(forwarded, res);
            return;
        }
        Optional<Caller> caller;
        if (request.getHeader("Authorization") == null && sessions != null && UiSessions.cookieOf(request) != null) {
            Optional<UiSessions.Session> session = sessions.find(UiSessions.cookieOf(request))
                    .filter(s -> tokens.exists(s.caller().name()));
            if (session.isPresent() && CHANGING.contains(request.getMethod())
                    && !session.get().csrf().equals(request.getHeader(UiSessions.CSRF_HEADER))) {
                LOG.info("403 for {} {}: a session request without its CSRF token", request.getMethod(), path);
                error(response, 403, "CSRF", "a signed-in page must send its CSRF token in " + UiSessions.CSRF_HEADER
                        + " with every change; reload the page");
                return;
            }
            caller = session.map(UiSessions.Session::caller);
        } else {
            caller = Credentials.parse(request.getHeader("Authorization")).flatMap(c -> tokens.authenticate(c.user(), c.secret()));
        }
        if (caller.isEmpty()) {
            LOG.debug("401 for {} {}: no valid token", request.getMethod(), path);
            response.addHeader("WWW-Authenticate", "Bearer realm=\"caravan\"");
            response.addHeader("WWW-Authenticate", "Basic realm=\"caravan\"");
            error(response, 401, "UNAUTHORIZED", "send an API token: 'Authorization: Bearer <token>' (or basic auth with the token's name and secret); "
                    + "an admin creates tokens with POST /api/v1/tokens");
            return;
        }
        Role needed = AccessRules.required(request.getMethod(), path);
        if (!caller.get().role().includes(needed)) {
            LOG.info("403 for {} {} by token '{}': role {} needs {}", request.getMethod(), path, caller.get().name(),
                    caller.get().role().configName(), needed.configName());
            error(response, 403, "FORBIDDEN", "token '" + caller.get().name() + "' has role " + caller.get().role().configName() + "; "
                    + request.getMethod() + " " + path + " needs role " + needed.configName() + " or higher");
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        chain.doFilter(forwarded, res);
    }

    /** The request without its {@code Authorization} and {@code Cookie} headers. */
    private static final class WithoutCredentials extends HttpServletRequestWrapper {
        private static final Set<String> HIDDEN = Set.of("authorization", "cookie");

        WithoutCredentials(HttpServletRequest request) {
            super(request);
        }

        private static boolean hidden(String name) {
            return name != null && HIDDEN.contains(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String getHeader(String name) {
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream().filter(n -> !hidden(n)).toList());
        }

        @Override
        public Cookie[] getCookies() {
            return null;
        }
    }

    private static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        JsonErrors.write(response, status, code, message);
    }
}
