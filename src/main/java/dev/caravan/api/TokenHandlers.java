package dev.caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.security.TokenService;
import dev.caravan.security.TokenService.NewToken;
import dev.caravan.state.TokenRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** API tokens: list (never with secrets), create (the secret is in the answer, once), revoke. Admin only (see AccessRules). */
final class TokenHandlers {
    private final TokenService tokens;

    TokenHandlers(TokenService tokens) {
        this.tokens = tokens;
    }

    ApiResponse list(ApiRequest request) {
        return ApiResponse.ok(Map.of("tokens", tokens.list().stream().map(TokenHandlers::view).toList()));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.object(Set.of("name", "role"), false);
        NewToken created = tokens.create(ApiRequest.requiredText(body, "name"), ApiRequest.requiredText(body, "role"), request.caller().name());
        Map<String, Object> view = view(created.token());
        view.put("token", created.secret());
        return ApiResponse.created(view);
    }

    ApiResponse revoke(ApiRequest request) {
        tokens.revoke(request.path("name"), request.caller().name());
        return ApiResponse.noContent();
    }

    private static Map<String, Object> view(TokenRecord token) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", token.name());
        view.put("role", token.role());
        view.put("created_at", token.createdAt().toString());
        view.put("created_by", token.createdBy());
        view.put("last_used_at", token.lastUsedAt() == null ? null : token.lastUsedAt().toString());
        return view;
    }
}
