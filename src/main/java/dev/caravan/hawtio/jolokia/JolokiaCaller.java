package dev.caravan.hawtio.jolokia;

import dev.caravan.security.Role;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling Jolokia in the current request, set by {@link JolokiaAccessFilter} for the request's thread and read
 * by the restrictor ({@link RoleRestrictor}), which sees no request of its own.
 *
 * @param role the caller's role ({@code admin} when authentication is off)
 * @param readOnlyMethod true for a GET request, which may only read whatever the role
 * @param scheme the request's scheme, host and port: the server's own origin as the browser addressed it
 */
public record JolokiaCaller(Role role, boolean readOnlyMethod, String scheme, String host, int port) {
    private static final ThreadLocal<JolokiaCaller> CURRENT = new ThreadLocal<>();

    public JolokiaCaller {
        Objects.requireNonNull(role, "role");
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = host.toLowerCase(Locale.ROOT);
    }

    /** The caller of the request this thread is handling, or empty outside of one (then nothing is allowed). */
    public static Optional<JolokiaCaller> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Makes this the caller of the current thread until the returned scope is closed. */
    public Scope enter() {
        JolokiaCaller outer = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        };
    }

    /** The time a caller is current; closing it ends it. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Whether a request whose {@code Origin} (or, lacking one, {@code Referer}) is {@code originOrReferer} may be
     * answered: yes without either header (not a browser, or a browser's same-origin GET), yes from the server's own
     * origin, no from any other origin, {@code null} (sandboxed pages, files) or a malformed one.
     */
    public boolean isOwnOrigin(String originOrReferer) {
        if (originOrReferer == null) {
            return true;
        }
        try {
            URI uri = new URI(originOrReferer.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return false;
            }
            String otherScheme = uri.getScheme().toLowerCase(Locale.ROOT);
            return otherScheme.equals(scheme) && uri.getHost().toLowerCase(Locale.ROOT).equals(host)
                    && portOf(otherScheme, uri.getPort()) == portOf(scheme, port);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static int portOf(String scheme, int port) {
        if (port > 0) {
            return port;
        }
        return "https".equals(scheme) ? 443 : 80;
    }
}
