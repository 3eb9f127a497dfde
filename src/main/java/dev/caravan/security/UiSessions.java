package dev.caravan.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Browser sessions of the web UI: opened by signing in with an API token, kept in this server's memory (a restart or
 * another cluster node asks to sign in again), ended by signing out, by 12 hours without use, or when the token is
 * revoked (checked by the authentication filter). Each session has a CSRF token that every changing request must send
 * in {@value #CSRF_HEADER}.
 */
public final class UiSessions {
    public static final String COOKIE = "caravan_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final Duration IDLE = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    /** A signed-in browser: who (the token's name and role) and the CSRF token its page sends with writes. */
    public record Session(String id, String csrf, Caller caller, Instant lastUsed) {
        @Override
        public String toString() {
            return "Session[" + caller + "]";
        }
    }

    public UiSessions(Clock clock) {
        this.clock = clock;
    }

    public Session open(Caller caller) {
        if (sessions.size() >= MAX_SESSIONS) {
            Instant cutoff = clock.instant().minus(IDLE);
            sessions.values().removeIf(s -> s.lastUsed().isBefore(cutoff));
        }
        Session session = new Session(newSecret(), newSecret(), caller, clock.instant());
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session of a cookie value, its idle time renewed; empty when unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (session.lastUsed().plus(IDLE).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session renewed = new Session(session.id(), session.csrf(), session.caller(), now);
        sessions.replace(id, session, renewed);
        return Optional.of(renewed);
    }

    /** The value of the session cookie of a request, or null. */
    public static String cookieOf(jakarta.servlet.http.HttpServletRequest request) {
        jakarta.servlet.http.Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (jakarta.servlet.http.Cookie cookie : cookies) {
            if (cookie.getName().equals(COOKIE)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
