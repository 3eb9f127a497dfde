package dev.caravan.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.ServerSettings;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI's sessions: the page and its files are served at /, signing in with an API token gives an HttpOnly,
 * SameSite=Strict cookie and a CSRF token; with the cookie the API reads, writes need the CSRF token, a viewer's writes
 * are refused, and the session ends on sign-out and when its token is revoked.
 */
class UiSessionTest {
    private static final String ADMIN_TOKEN = "cvn_ui-session-test-admin-token-0123456789";

    @TempDir
    Path home;

    @Test
    void aSessionReadsWritesWithItsCsrfTokenAndEndsWithItsToken() throws Exception {
        try (TestingServer server = new TestingServer(home, Map.of(ServerSettings.AUTH_ENABLED, "true",
                ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, ADMIN_TOKEN))) {
            String base = server.baseUrl();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("/ui/app.js", "/webjars/bootstrap/");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");
            assertThat(status(client, get(base + "/webjars/bootstrap/5.3.3/dist/css/bootstrap.min.css"))).isEqualTo(200);
            assertThat(status(client, get(base + "/ui/app.js"))).isEqualTo(200);
            assertThat(status(client, get(base + "/ui/../application.properties"))).isEqualTo(404);

            assertThat(status(client, signIn(base, "cvn_wrong"))).isEqualTo(401);
            HttpResponse<String> admin = client.send(signIn(base, ADMIN_TOKEN), HttpResponse.BodyHandlers.ofString());
            assertThat(admin.statusCode()).isEqualTo(200);
            String setCookie = admin.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("caravan_session=").contains("HttpOnly", "SameSite=Strict", "Path=/");
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            String csrf = json(admin.body(), "csrf");
            assertThat(json(admin.body(), "role")).isEqualTo("admin");

            assertThat(status(client, get(base + "/api/v1/connections", cookie))).isEqualTo(200);
            String viewerBody = "{\"name\":\"reader\",\"role\":\"viewer\"}";
            assertThat(status(client, post(base + "/api/v1/tokens", cookie, null, viewerBody))).as("no CSRF token").isEqualTo(403);
            assertThat(status(client, post(base + "/api/v1/tokens", cookie, "wrong", viewerBody))).as("a wrong CSRF token").isEqualTo(403);
            HttpResponse<String> created = client.send(post(base + "/api/v1/tokens", cookie, csrf, viewerBody), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            String viewerToken = json(created.body(), "token");

            HttpResponse<String> viewer = client.send(signIn(base, viewerToken), HttpResponse.BodyHandlers.ofString());
            String viewerCookie = viewer.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            String viewerCsrf = json(viewer.body(), "csrf");
            assertThat(status(client, get(base + "/api/v1/sources", viewerCookie))).isEqualTo(200);
            assertThat(status(client, post(base + "/api/v1/sources", viewerCookie, viewerCsrf,
                    "{\"name\":\"s\",\"connector\":\"faker\"}"))).as("a viewer's write").isEqualTo(403);
            assertThat(status(client, post(base + "/api/v1/sources", cookie, csrf, "{\"name\":\"s\",\"connector\":\"faker\"}"))).isEqualTo(201);

            HttpJson api = new HttpJson(server.apiUrl()).withToken(ADMIN_TOKEN);
            assertThat(api.delete("/tokens/reader").status()).isEqualTo(204);
            assertThat(status(client, get(base + "/api/v1/sources", viewerCookie))).as("its token was revoked").isEqualTo(401);
            assertThat(status(client, get(base + "/ui/session", viewerCookie))).isEqualTo(401);

            HttpRequest signOut = HttpRequest.newBuilder(URI.create(base + "/ui/session")).header("Cookie", cookie).DELETE().build();
            assertThat(status(client, signOut)).isEqualTo(204);
            assertThat(status(client, get(base + "/api/v1/sources", cookie))).as("signed out").isEqualTo(401);
            HttpRequest foreign = HttpRequest.newBuilder(URI.create(base + "/ui/session")).header("Content-Type", "application/json")
                    .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + ADMIN_TOKEN + "\"}")).build();
            assertThat(status(client, foreign)).as("signing in from a page of another origin").isEqualTo(403);
        }
    }

    private static String json(String body, String key) {
        return new HttpJson.Response(200, body, "application/json").json().get(key).asText();
    }

    private static int status(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).build();
    }

    private static HttpRequest get(String url, String cookie) {
        return HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build();
    }

    private static HttpRequest signIn(String base, String token) {
        return HttpRequest.newBuilder(URI.create(base + "/ui/session")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build();
    }

    private static HttpRequest post(String url, String cookie, String csrf, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return request.build();
    }
}
