package dev.caravan.security;

/**
 * The role a request to the server's root context needs: managing tokens needs {@code admin}; anything that changes
 * something (POST, PUT, PATCH, DELETE) needs {@code editor}; reading (the API's GETs, {@code /metrics}) needs
 * {@code viewer}.
 */
public final class AccessRules {
    static final String TOKENS = "/api/v1/tokens";

    private AccessRules() {
    }

    public static Role required(String method, String path) {
        if (path.equals(TOKENS) || path.startsWith(TOKENS + "/")) {
            return Role.ADMIN;
        }
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> Role.VIEWER;
            default -> Role.EDITOR;
        };
    }
}
