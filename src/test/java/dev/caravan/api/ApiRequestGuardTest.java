package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.testing.TestingServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a request to /api must be before anything reads it (content type, origin, size), and the JSON shape of every
 * error: a refused request changes nothing.
 */
class ApiRequestGuardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SOURCE = "{\"name\":\"s1\",\"connector\":\"faker\",\"config\":{\"count\":5}}";
    @TempDir
    static Path home;
    private static TestingServer server;
    private static String api;

    @BeforeAll
    static void start() {
        server = new TestingServer(home, Map.of("caravan.http.allowed-origins", "https://ui.example.com"));
        api = server.apiUrl();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Answer(int status, JsonNode json, String contentType) {
    }

    private static Answer send(String method, String path, String contentType, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = type.startsWith("application/json") && !response.body().isEmpty() ? JSON.readTree(response.body()) : null;
        return new Answer(response.statusCode(), json, type);
    }

    /** The answer to a POST whose headers announce a body of {@code length} bytes, none of which is sent. */
    private static String rawPostHeaders(String path, String contentType, long length) throws IOException {
        URI base = URI.create(api);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "POST " + base.getPath() + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = socket.getInputStream().read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketException closed) {
                // the server closed the connection after its answer
            }
            return answer.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A GET sent as raw bytes (java.net.URI refuses malformed escapes before sending): the whole answer as text. */
    private static String rawGet(String path) throws IOException {
        URI base = URI.create(api);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + base.getPath() + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static int sources() throws IOException, InterruptedException {
        return send("GET", "/sources", null, null).json().get("sources").size();
    }

    @Test
    void changingRequestsAcceptOnlyTheirDocumentedContentTypes() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"}) {
            Answer answer = send("POST", "/sources", type, SOURCE);
            assertThat(answer.status()).as(type).isEqualTo(415);
            assertThat(answer.json().get("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
            assertThat(answer.json().get("message").asText()).contains("application/json");
        }
        assertThat(send("POST", "/connections/sync", "text/plain", "{\"connection\":\"x\"}").status()).isEqualTo(415);
        assertThat(send("POST", "/apply", "application/json", "sources: []").status()).as("apply takes YAML").isEqualTo(415);
        assertThat(send("POST", "/apply", "text/plain", "sources: [{name: s9, connector: faker, config: {}}]").status()).isEqualTo(415);
        assertThat(sources()).as("nothing was created").isZero();
        assertThat(send("POST", "/sources", "application/json; charset=utf-8", SOURCE).status()).isEqualTo(201);
        assertThat(send("POST", "/sources/s1/check", null, null).status()).as("a body-less POST needs no type").isEqualTo(200);
        assertThat(send("DELETE", "/sources/s1", null, null).status()).isEqualTo(204);
    }

    @Test
    void changesFromBrowserPagesOfOtherOriginsAreRefused() throws Exception {
        String own = api.substring(0, api.indexOf("/api/v1"));
        Answer foreign = send("POST", "/sources", "application/json", SOURCE, "Origin", "http://evil.example");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().get("code").asText()).isEqualTo("CROSS_ORIGIN");
        assertThat(send("POST", "/sources", "application/json", SOURCE, "Origin", "null").status()).isEqualTo(403);
        assertThat(send("DELETE", "/sources/none", null, null, "Sec-Fetch-Site", "cross-site").status()).isEqualTo(403);
        assertThat(send("POST", "/sources", "application/json", SOURCE, "Referer", "http://evil.example/page.html").status()).isEqualTo(403);
        String otherPort = own.replaceFirst(":(\\d+)$", ":1");
        assertThat(send("POST", "/sources", "application/json", SOURCE, "Origin", otherPort).status()).as("another port is another origin").isEqualTo(403);
        assertThat(sources()).isZero();

        assertThat(send("GET", "/sources", null, null, "Origin", "http://evil.example").status()).as("reading is not a change").isEqualTo(200);
        assertThat(send("POST", "/sources", "application/json", SOURCE, "Origin", "https://UI.example.com").status()).as("allowed origin").isEqualTo(201);
        assertThat(send("DELETE", "/sources/s1", null, null, "Origin", own).status()).as("own origin").isEqualTo(204);
    }

    @Test
    void bodiesOverTheLimitAreRefusedBeforeParsing() throws Exception {
        String yaml = "sources:\n" + "  - {name: big, connector: faker, config: {count: 1}}\n".repeat(1_000_000);
        long start = System.nanoTime();
        Answer answer = send("POST", "/apply", "application/yaml", yaml);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("message").asText()).contains("caravan.http.max-body-bytes");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // a 50 MB body announced: refused on its Content-Length, before any of it is read (sent as raw headers: a client
        // still uploading when the server answers and closes may lose the answer)
        assertThat(rawPostHeaders("/sources", "application/json", 50L * 1024 * 1024)).startsWith("HTTP/1.1 413");
        assertThat(sources()).isZero();
        assertThat(send("GET", "/connectors", null, null).status()).as("the server keeps running").isEqualTo(200);
    }

    @Test
    void everyErrorIsTheApisJsonShape() throws Exception {
        Answer unknown = send("GET", "/nothing-here", null, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/json");
        assertThat(unknown.json().get("code").asText()).isEqualTo("NOT_FOUND");
        HttpResponse<String> outside = HTTP.send(HttpRequest.newBuilder(URI.create(api.replace("/api/v1", "/api/v2/x"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(outside.body()).get("code").asText()).as("a path outside /api/v1 too").isEqualTo("NOT_FOUND");
        Answer wrongMethod = send("PATCH", "/connectors", "application/json", "{}");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        String badQuery = rawGet("/jobs?connection=%zz");
        assertThat(badQuery).as("a malformed query string is bad input").startsWith("HTTP/1.1 400").contains("application/json");
        Answer malformed = send("POST", "/sources", "application/json", "{\n  \"name\": \"x\",\n  oops\n}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().at("/problems/0/fix").asText()).contains("line 3").contains("column");
        Answer badYaml = send("POST", "/apply", "application/yaml", "a: &x [1]\nb: *x\n");
        assertThat(badYaml.status()).isEqualTo(400);
        assertThat(badYaml.json().toString()).contains("aliases");
    }
}
