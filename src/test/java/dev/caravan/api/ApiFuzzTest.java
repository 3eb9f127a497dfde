package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random, truncated, huge, wrongly typed and deeply nested bodies sent to every write operation the OpenAPI document
 * lists (read at test time, so a new operation is covered without touching this test): never a 5xx, the server keeps
 * answering, and nothing is stored. The seed is printed; rerun one with {@code -Dcaravan.fuzz.seed=<seed>}.
 */
class ApiFuzzTest {
    private static final int BODIES_PER_OPERATION = 40;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Operation(String method, String path) {
    }

    @Test
    void writeOperationsSurviveArbitraryBodiesAndStoreNothing(@TempDir Path home) throws Exception {
        long seed = Long.getLong("caravan.fuzz.seed", System.nanoTime());
        System.out.println("ApiFuzzTest seed: " + seed + " (-Dcaravan.fuzz.seed=" + seed + " repeats this run)");
        Random random = new Random(seed);
        try (TestingServer server = new TestingServer(home)) {
            String api = server.apiUrl();
            server.server().apply("""
                    sources: [{name: src, connector: faker, config: {count: 10}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections: [{name: conn, source: src, destination: lake, streams: [{name: users}]}]
                    """.formatted(home.resolve("lake")), "setup.yaml");
            String before = get(api, "/export");
            String tokensBefore = get(api, "/tokens");
            List<Operation> operations = writeOperations(get(api, "/openapi.json"));
            assertThat(operations).as("the OpenAPI document lists the write operations")
                    .contains(new Operation("POST", "/sources"), new Operation("PUT", "/connections/{name}"), new Operation("POST", "/apply"));
            int sent = 0;
            for (Operation operation : operations) {
                for (String path : concretePaths(operation)) {
                    for (int i = 0; i < BODIES_PER_OPERATION; i++) {
                        String body = body(random, operation.path().equals("/apply"));
                        String type = operation.path().equals("/apply") ? "application/yaml" : "application/json";
                        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                                .header("Content-Type", type).method(operation.method(), HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        sent++;
                        assertThat(response.statusCode()).as("%s %s with body %.300s (seed %d)", operation.method(), path, body, seed)
                                .isLessThan(500);
                        assertThat(response.headers().firstValue("Content-Type").orElse("application/json"))
                                .as("%s %s answers JSON", operation.method(), path).startsWith("application/json");
                    }
                }
            }
            System.out.println("ApiFuzzTest sent " + sent + " bodies to " + operations.size() + " operations");
            assertThat(get(api, "/export")).as("nothing stored").isEqualTo(before);
            assertThat(get(api, "/tokens")).isEqualTo(tokensBefore);
            assertThat(server.server().jobs("conn", 10)).as("no job started").isEmpty();
        }
    }

    private static String get(String api, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    private static List<Operation> writeOperations(String openApi) throws Exception {
        List<Operation> operations = new ArrayList<>();
        JsonNode paths = new com.fasterxml.jackson.databind.ObjectMapper().readTree(openApi).get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String method : List.of("post", "put", "patch")) {
                if (path.getValue().has(method)) {
                    operations.add(new Operation(method.toUpperCase(), path.getKey()));
                }
            }
        }
        return operations;
    }

    /**
     * Path parameters filled with names that exist (only for PUT: replacing with an invalid body must change nothing) and
     * with ones that do not; action endpoints (check, sync, enable...) only with ones that do not, so no valid action runs.
     */
    private static List<String> concretePaths(Operation operation) {
        String path = operation.path();
        if (!path.contains("{")) {
            return List.of(path);
        }
        List<String> paths = new ArrayList<>();
        paths.add(path.replace("{name}", "fuzz-missing").replace("{id}", "999999"));
        paths.add(path.replace("{name}", "Not%20A%20Name").replace("{id}", "abc"));
        if (operation.method().equals("PUT")) {
            paths.add(path.replace("{name}", path.startsWith("/sources") ? "src" : path.startsWith("/destinations") ? "lake" : "conn"));
        }
        return paths;
    }

    private static String body(Random random, boolean yaml) {
        return switch (random.nextInt(9)) {
            case 0 -> randomJson(random, 0);
            case 1 -> truncated(random, "{\"name\":\"x\",\"connector\":\"faker\",\"config\":{\"count\":5},\"streams\":[{\"name\":\"users\"}]}");
            case 2 -> "{\"name\":\"" + "n".repeat(200_000 + random.nextInt(500_000)) + "\"}";
            case 3 -> "[".repeat(2_000 + random.nextInt(20_000));
            case 4 -> "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000);
            case 5 -> wrongTypes(random);
            case 6 -> randomBytes(random);
            case 7 -> yaml ? "sources: [" + "{".repeat(200) : "{\"connection\": " + randomJson(random, 0) + ", \"wait\": " + randomJson(random, 0) + "}";
            default -> yaml ? "a: &x [1, 2]\nb: [*x, *x, *x]\nsources: *x\n" : "";
        };
    }

    private static String truncated(Random random, String valid) {
        return valid.substring(0, random.nextInt(valid.length()));
    }

    private static String wrongTypes(Random random) {
        String[] values = {"null", "1e400", "-0", "true", "[]", "{}", "\"\"", "99999999999999999999999", "\"\\u0000\"", "[null]"};
        String[] keys = {"name", "connector", "config", "source", "destination", "streams", "schedule", "namespace", "role", "connection",
                "timeout_seconds", "wait", "streams"};
        StringBuilder json = new StringBuilder("{");
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(keys[random.nextInt(keys.length)]).append("\":").append(values[random.nextInt(values.length)]);
        }
        return json.append('}').toString();
    }

    private static String randomBytes(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(4096)];
        random.nextBytes(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String randomJson(Random random, int depth) {
        int kind = depth > 4 ? random.nextInt(4) : random.nextInt(6);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> Long.toString(random.nextLong());
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> "\"" + Long.toString(random.nextLong(), 36) + "\"";
            case 4 -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.append(randomJson(random, depth + 1)).append(i > 1 ? "," : "");
                }
                yield array.append(']').toString();
            }
            default -> {
                String[] keys = {"name", "connector", "config", "streams", "source", "destination", "connection", "role", "x"};
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.append('"').append(keys[random.nextInt(keys.length)]).append("\":").append(randomJson(random, depth + 1)).append(i > 1 ? "," : "");
                }
                yield object.append('}').toString();
            }
        };
    }
}
