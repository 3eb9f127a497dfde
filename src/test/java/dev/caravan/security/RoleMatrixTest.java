package dev.caravan.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.server.ServerSettings;
import dev.caravan.testing.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of the OpenAPI document (read at test time) × every kind of caller, against a rule stated here, not
 * taken from the server's code: token management needs admin; reading (GET) needs viewer; every other method needs
 * editor; no, a wrong or a revoked token is 401. "Allowed" means anything but 401/403 (the request reached the handler,
 * which may still answer 400 or 404: path parameters name nothing that exists, so no allowed request changes anything).
 * Methods and paths the document does not list need admin (default deny): 403 for every other role.
 */
class RoleMatrixTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param documented whether the OpenAPI document lists it */
    private record Operation(String method, String path, boolean documented) {
    }

    /** The rule: the role a caller needs. */
    private static Role needed(Operation operation) {
        if (operation.path().equals("/tokens") || operation.path().startsWith("/tokens/") || !operation.documented()) {
            return Role.ADMIN;
        }
        return operation.method().equals("GET") ? Role.VIEWER : Role.EDITOR;
    }

    @Test
    void everyOperationAndEveryCallerAgainstTheRule(@TempDir Path home) throws Exception {
        try (TestingServer server = new TestingServer(home, Map.of(ServerSettings.AUTH_ENABLED, "true",
                ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, "matrix-admin-secret-0123456789"))) {
            String api = server.apiUrl();
            String admin = "matrix-admin-secret-0123456789";
            Map<String, String> callers = new LinkedHashMap<>();
            callers.put("admin", admin);
            callers.put("editor", token(api, admin, "ed", "editor"));
            callers.put("viewer", token(api, admin, "vi", "viewer"));
            String revoked = token(api, admin, "gone", "admin");
            assertThat(send(api, "DELETE", "/tokens/gone", admin).statusCode()).isEqualTo(204);
            callers.put("revoked", revoked);
            callers.put("wrong", "cvn_wrong-token-value");
            callers.put("none", null);

            List<Operation> operations = operations(get(api, "/openapi.json", admin));
            assertThat(operations).hasSizeGreaterThan(30);
            operations.add(new Operation("PATCH", "/sources", false));
            operations.add(new Operation("DELETE", "/jobs/{id}", false));
            operations.add(new Operation("GET", "/no-such-collection", false));
            operations.add(new Operation("DELETE", "/no-such-collection/x", false));
            operations.add(new Operation("POST", "/tokens/x/rotate", false));
            List<String> wrong = new ArrayList<>();
            int checked = 0;
            for (Operation operation : operations) {
                String path = operation.path().replace("{name}", "matrix-missing").replace("{id}", "999999");
                for (Map.Entry<String, String> caller : callers.entrySet()) {
                    int status = send(api, operation.method(), path, caller.getValue()).statusCode();
                    int expected = expected(caller.getKey(), needed(operation));
                    boolean ok = expected == 0 ? status != 401 && status != 403 : status == expected;
                    if (!ok) {
                        wrong.add(caller.getKey() + " " + operation.method() + " " + path + ": " + status + ", expected "
                                + (expected == 0 ? "allowed" : expected));
                    }
                    checked++;
                }
            }
            assertThat(wrong).as("of %d checks", checked).isEmpty();
            assertThat(checked).isGreaterThan(200);
        }
    }

    /** 0 = allowed; else the refusal status. */
    private static int expected(String caller, Role needed) {
        return switch (caller) {
            case "revoked", "wrong", "none" -> 401;
            default -> Role.valueOf(caller.toUpperCase()).includes(needed) ? 0 : 403;
        };
    }

    private static String token(String api, String admin, String name, String role) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/tokens")).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("token").asText();
    }

    private static String get(String api, String path, String token) throws Exception {
        HttpResponse<String> response = send(api, "GET", path, token);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> send(String api, String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (method.equals("GET") || method.equals("DELETE")) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", path.endsWith("/apply") ? "application/yaml" : "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString("{}"));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Operation> operations(String openApi) throws Exception {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(openApi).get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                if (path.getValue().has(method)) {
                    operations.add(new Operation(method.toUpperCase(), path.getKey(), true));
                }
            }
        }
        return operations;
    }
}
