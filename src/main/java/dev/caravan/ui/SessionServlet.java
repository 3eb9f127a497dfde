package dev.caravan.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.security.Caller;
import dev.caravan.security.JsonErrors;
import dev.caravan.security.TokenService;
import dev.caravan.security.UiSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /ui/session}: POST {@code {"token"}} signs in (a session cookie, HttpOnly and SameSite=Strict, and the CSRF
 * token in the answer), GET tells who is signed in, DELETE signs out. With authentication off every browser is the
 * local admin and needs no sign-in. Runs behind the API's request guard (JSON only, same origin).
 */
public final class SessionServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TokenService tokens;
    private final UiSessions sessions;
    private final boolean hawtio;

    /** @param tokens null when authentication is off */
    public SessionServlet(TokenService tokens, UiSessions sessions, boolean hawtio) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.hawtio = hawtio;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (tokens == null) {
            write(response, 200, view(Caller.LOCAL, ""));
            return;
        }
        Optional<UiSessions.Session> session = sessions.find(UiSessions.cookieOf(request)).filter(s -> tokens.exists(s.caller().name()));
        if (session.isEmpty()) {
            JsonErrors.write(response, 401, "UNAUTHORIZED", "not signed in: sign in with an API token");
            return;
        }
        write(response, 200, view(session.get().caller(), session.get().csrf()));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (tokens == null) {
            write(response, 200, view(Caller.LOCAL, ""));
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getInputStream());
        } catch (IOException e) {
            body = null;
        }
        String token = body == null || body.get("token") == null ? "" : body.get("token").asText("").strip();
        Optional<Caller> caller = tokens.authenticate(null, token);
        if (caller.isEmpty()) {
            JsonErrors.write(response, 401, "UNAUTHORIZED", "this API token is unknown or revoked; ask an admin for a token "
                    + "(the first admin token is printed in the server log at its first start)");
            return;
        }
        sessions.close(UiSessions.cookieOf(request));
        UiSessions.Session session = sessions.open(caller.get());
        response.addHeader("Set-Cookie", UiSessions.COOKIE + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Strict"
                + (request.isSecure() ? "; Secure" : ""));
        write(response, 200, view(session.caller(), session.csrf()));
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        sessions.close(UiSessions.cookieOf(request));
        response.addHeader("Set-Cookie", UiSessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        response.setStatus(204);
    }

    private Map<String, Object> view(Caller caller, String csrf) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", caller.name());
        view.put("role", caller.role().configName());
        view.put("csrf", csrf);
        view.put("auth", tokens != null);
        view.put("hawtio", hawtio);
        return view;
    }

    private static void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
