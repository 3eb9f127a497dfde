package dev.caravan.security;

import java.util.List;
import java.util.Set;

/**
 * The role a request to the server's root context needs. Granted explicitly: reading (GET, HEAD, OPTIONS) the API's
 * resources and {@code /metrics} needs {@code viewer}; the API's operations that change something (create, update,
 * delete, check, discover, test-read a manifest, apply, sync, reset, accept schema changes, enable, disable, cancel, replay) and a POST to a route file's hook
 * ({@code /api/v1/hooks/<name>}) need {@code editor}. Everything else,
 * managing tokens and any method or path not granted here, needs {@code admin} (default deny: a new endpoint is
 * admin-only until it is granted here).
 */
public final class AccessRules {
    static final String TOKENS = "/api/v1/tokens";
    /** Where route files serve HTTP (see dev.caravan.routes.RouteClaims). */
    public static final String HOOKS = "/api/v1/hooks";
    private static final Set<String> READ = Set.of("GET", "HEAD", "OPTIONS");
    private static final List<String> READABLE = List.of(
            "/metrics",
            "/api/v1/openapi.json",
            "/api/v1/connectors", "/api/v1/connectors/*/spec",
            "/api/v1/sources", "/api/v1/sources/*",
            "/api/v1/destinations", "/api/v1/destinations/*",
            "/api/v1/connections", "/api/v1/connections/*",
            "/api/v1/jobs", "/api/v1/jobs/*", "/api/v1/jobs/*/logs",
            "/api/v1/events/connections/*",
            "/api/v1/export",
            "/api/v1/route-files",
            "/api/v1/cluster/nodes");
    private static final List<String> EDITABLE = List.of(
            "POST /api/v1/sources", "PUT /api/v1/sources/*", "DELETE /api/v1/sources/*",
            "POST /api/v1/sources/*/check", "POST /api/v1/sources/*/discover",
            "POST /api/v1/destinations", "PUT /api/v1/destinations/*", "DELETE /api/v1/destinations/*",
            "POST /api/v1/destinations/*/check",
            "POST /api/v1/connections", "PUT /api/v1/connections/*", "DELETE /api/v1/connections/*",
            "POST /api/v1/connections/sync", "POST /api/v1/connections/reset", "POST /api/v1/connections/accept-schema",
            "POST /api/v1/connections/*/enable", "POST /api/v1/connections/*/disable",
            "POST /api/v1/jobs/*/cancel", "POST /api/v1/jobs/*/replay",
            "POST /api/v1/apply",
            // a test read of an HTTP manifest (sends requests the manifest describes, like checking a source)
            "POST /api/v1/connectors/http/test",
            // HTTP hooks of route files (servlet:/hooks/<name>), which trigger syncs like POST /connections/sync
            "POST " + AccessRules.HOOKS + "/*");

    private AccessRules() {
    }

    public static Role required(String method, String path) {
        if (path.equals(TOKENS) || path.startsWith(TOKENS + "/")) {
            return Role.ADMIN;
        }
        if (READ.contains(method) && READABLE.stream().anyMatch(pattern -> matches(pattern, path))) {
            return Role.VIEWER;
        }
        if (EDITABLE.stream().anyMatch(rule -> rule.startsWith(method + " ") && matches(rule.substring(method.length() + 1), path))) {
            return Role.EDITOR;
        }
        return Role.ADMIN;
    }

    /** Whether {@code path} matches {@code pattern}, where {@code *} stands for one non-empty path segment. */
    private static boolean matches(String pattern, String path) {
        String[] expected = pattern.split("/", -1);
        String[] actual = path.split("/", -1);
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i].equals("*") ? actual[i].isEmpty() : !expected[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }
}
