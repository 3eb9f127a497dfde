package dev.caravan.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.jmx.ConnectionMBeans;
import dev.caravan.server.ServerSettings;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.LogCapture;
import dev.caravan.testing.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication on, over real HTTP: the initial admin token shown once, token management, the roles on the API,
 * /metrics, Jolokia and the Hawtio login, and revocation taking effect at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthTest {
    private static final Pattern SHOWN_TOKEN = Pattern.compile("store it now: (cvn_[A-Za-z0-9_-]{43})");
    private static final Map<String, String> AUTH_ON = Map.of(ServerSettings.AUTH_ENABLED, "true", ServerSettings.HAWTIO_ENABLED, "true");

    @TempDir
    static Path home;
    private static TestingServer server;
    private static String adminToken;
    private static HttpJson anonymous;
    private static HttpJson admin;
    private static String viewerToken;
    private static String editorToken;

    @BeforeAll
    static void start() {
        try (LogCapture log = new LogCapture()) {
            server = new TestingServer(home, AUTH_ON);
            Matcher shown = SHOWN_TOKEN.matcher(log.text());
            assertThat(shown.find()).as("the initial admin token is in the log:\n%s", log.text()).isTrue();
            adminToken = shown.group(1);
            assertThat(shown.find()).as("shown once").isFalse();
            assertThat(log.text()).contains("Authentication is ON");
        }
        anonymous = new HttpJson(server.apiUrl());
        admin = anonymous.withToken(adminToken);
        String lake = home.resolve("lake").toString().replace("\\", "/");
        assertThat(admin.postYaml("/apply", """
                sources: [{name: fake, connector: faker, config: {count: 20}}]
                destinations: [{name: lake, connector: local, config: {path: %s}}]
                connections: [{name: guarded-demo, source: fake, destination: lake, streams: [{name: users}]}]
                """.formatted(lake)).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void withoutAValidTokenEverythingAnswers401() {
        Response none = anonymous.get("/connections");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(anonymous.withToken("cvn_not-a-token").get("/connections").status()).isEqualTo(401);
        assertThat(anonymous.withBasic("someone", adminToken).get("/connections").status()).as("a secret under another token's name").isEqualTo(401);
        assertThat(anonymous.post("/connections/sync", "{\"connection\":\"guarded-demo\"}").status()).isEqualTo(401);
        assertThat(anonymous.get("/openapi.json").status()).isEqualTo(401);
        HttpJson root = new HttpJson(server.baseUrl());
        assertThat(root.get("/metrics").status()).isEqualTo(401);
        assertThat(root.get("/hawtio/jolokia/version").status()).as("Jolokia").isEqualTo(401);
        assertThat(root.post("/hawtio/jolokia", "{\"type\":\"version\"}").status()).as("Jolokia POST").isEqualTo(401);
        assertThat(root.withToken("cvn_wrong").get("/hawtio/jolokia/version").status()).as("Jolokia, bad token").isEqualTo(403);
        assertThat(root.post("/hawtio/auth/login", "{\"username\":\"admin\",\"password\":\"wrong-wrong\"}").status()).as("Hawtio login").isEqualTo(403);
    }

    @Test
    @Order(2)
    void anAdminCreatesTokensWhoseSecretsAreShownOnce() {
        assertThat(admin.get("/connections").status()).isEqualTo(200);
        assertThat(anonymous.withBasic("admin", adminToken).get("/connections").status()).as("basic auth: token name + secret").isEqualTo(200);
        Response viewer = admin.post("/tokens", "{\"name\":\"dashboards\",\"role\":\"viewer\"}");
        assertThat(viewer.status()).as(viewer.text()).isEqualTo(201);
        viewerToken = viewer.json().get("token").asText();
        assertThat(viewerToken).startsWith("cvn_").hasSize(47);
        Response editor = admin.post("/tokens", "{\"name\":\"ci\",\"role\":\"editor\"}");
        editorToken = editor.json().get("token").asText();
        assertThat(editor.json().get("created_by").asText()).isEqualTo("admin");

        Response list = admin.get("/tokens");
        assertThat(list.json().get("tokens").findValuesAsText("name")).containsExactly("admin", "ci", "dashboards");
        assertThat(list.text()).doesNotContain(viewerToken).doesNotContain(editorToken).doesNotContain(adminToken)
                .doesNotContain(TokenService.hash(viewerToken)).doesNotContain("\"token\"");
        assertThat(admin.post("/tokens", "{\"name\":\"ci\",\"role\":\"viewer\"}").status()).isEqualTo(409);
        Response bad = admin.post("/tokens", "{\"name\":\"Bad Name\",\"role\":\"root\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("problems").findValuesAsText("path")).containsExactly("name", "role");
    }

    @Test
    @Order(3)
    void aViewerReadsButCannotWrite() {
        HttpJson viewer = anonymous.withToken(viewerToken);
        assertThat(viewer.get("/connections/guarded-demo").status()).isEqualTo(200);
        assertThat(viewer.get("/export").status()).isEqualTo(200);
        assertThat(new HttpJson(server.baseUrl()).withToken(viewerToken).get("/metrics").status()).isEqualTo(200);
        Response write = viewer.post("/connections/sync", "{\"connection\":\"guarded-demo\"}");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().get("message").asText()).contains("role viewer").contains("needs role editor");
        assertThat(viewer.delete("/connections/guarded-demo").status()).isEqualTo(403);
        assertThat(viewer.post("/sources", "{\"name\":\"x\",\"connector\":\"faker\"}").status()).isEqualTo(403);
        assertThat(viewer.get("/tokens").status()).isEqualTo(403);
    }

    @Test
    @Order(4)
    void anEditorChangesAndSyncsButCannotManageTokens() {
        HttpJson editor = anonymous.withToken(editorToken);
        assertThat(editor.post("/sources", "{\"name\":\"more\",\"connector\":\"faker\"}").status()).isEqualTo(201);
        Response job = editor.post("/connections/sync", "{\"connection\":\"guarded-demo\",\"wait\":true}");
        assertThat(job.status()).as(job.text()).isEqualTo(200);
        assertThat(job.json().get("status").asText()).isEqualTo("succeeded");
        assertThat(editor.get("/tokens").status()).isEqualTo(403);
        assertThat(editor.post("/tokens", "{\"name\":\"mine\",\"role\":\"admin\"}").status()).isEqualTo(403);
        assertThat(editor.delete("/tokens/dashboards").status()).isEqualTo(403);
    }

    @Test
    @Order(5)
    void jolokiaLetsViewersReadAndOnlyEditorsRunOperations() {
        HttpJson root = new HttpJson(server.baseUrl());
        String mbean = ConnectionMBeans.name("guarded-demo").toString();
        String exec = "{\"type\":\"exec\",\"mbean\":" + quote(mbean) + ",\"operation\":\"syncNow\"}";
        String read = "{\"type\":\"read\",\"mbean\":" + quote(mbean) + ",\"attribute\":\"LastJobStatus\"}";

        HttpJson viewer = root.withToken(viewerToken);
        Response viewerRead = viewer.post("/hawtio/jolokia", read);
        assertThat(viewerRead.status()).as(viewerRead.text()).isEqualTo(200);
        assertThat(viewerRead.json().get("value").asText()).isEqualTo("succeeded");
        // Jolokia refuses inside its answer (HTTP 200, the request's status 403): see JolokiaPermissionsTest for every MBean.
        Response viewerExec = viewer.post("/hawtio/jolokia", exec);
        assertThat(viewerExec.json().get("status").asInt()).as(viewerExec.text()).isEqualTo(403);
        assertThat(viewerExec.json().get("error").asText()).contains("syncNow").contains("forbidden");
        assertThat(viewer.post("/hawtio/jolokia", "[" + read + "," + exec + "]").json().findValuesAsText("status")).as("hidden in a bulk request")
                .containsExactly("200", "403");
        assertThat(viewer.get("/hawtio/jolokia/exec/" + mbean.replace("\"", "%22") + "/syncNow").json().get("status").asInt()).as("GET form")
                .isEqualTo(403);
        assertThat(viewer.post("/hawtio/jolokia", "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}")
                .json().get("status").asInt()).isEqualTo(403);
        assertThat(viewer.post("/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Threading\",\"operation\":\"getThreadInfo(long)\","
                + "\"arguments\":[1]}").json().get("status").asInt()).as("no operation for viewers, not even one that only reads").isEqualTo(403);
        assertThat(admin.get("/jobs?connection=guarded-demo").json().get("jobs").findValuesAsText("trigger")).as("no job started by the viewer")
                .doesNotContain("jmx");

        // A secret the server knows, passed as a system property: MBeans show it, Jolokia masks it.
        String secret = "Jolokia-Echoed-Secret-4711";
        server.server().secrets().register(secret);
        System.setProperty("caravan.test.secret", secret);
        try {
            Response runtime = viewer.post("/hawtio/jolokia", "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"}");
            assertThat(runtime.status()).isEqualTo(200);
            assertThat(runtime.text()).contains("caravan.test.secret").doesNotContain(secret).contains(dev.caravan.spi.ConnectorSpec.MASK);
        } finally {
            System.clearProperty("caravan.test.secret");
        }

        Response editorExec = root.withBasic("ci", editorToken).post("/hawtio/jolokia", exec);
        assertThat(editorExec.status()).as(editorExec.text()).isEqualTo(200);
        assertThat(editorExec.json().get("status").asInt()).as(editorExec.text()).isEqualTo(200);
        assertThat(editorExec.json().get("value").asLong()).as("the id of the job syncNow started").isPositive();
    }

    @Test
    @Order(6)
    void revokedTokensAreRefusedAtOnceAlsoInOpenHawtioSessions() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/hawtio/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"dashboards\",\"password\":\"" + viewerToken + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(login.body()).contains("dev.caravan.security.RolePrincipal").contains("viewer").doesNotContain(viewerToken);
        HttpRequest version = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/hawtio/jolokia/version")).GET().build();
        assertThat(browser.send(version, HttpResponse.BodyHandlers.ofString()).statusCode()).as("the session works").isEqualTo(200);

        assertThat(admin.delete("/tokens/dashboards").status()).isEqualTo(204);
        assertThat(anonymous.withToken(viewerToken).get("/connections").status()).isEqualTo(401);
        assertThat(browser.send(version, HttpResponse.BodyHandlers.ofString()).statusCode()).as("the open session ends").isEqualTo(401);
        assertThat(admin.get("/tokens").json().get("tokens").findValuesAsText("name")).containsExactly("admin", "ci");
        assertThat(admin.delete("/tokens/dashboards").status()).isEqualTo(404);
        Response last = admin.delete("/tokens/admin");
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.json().get("message").asText()).contains("last admin token");
    }

    @Test
    @Order(7)
    void theOpenApiDocumentDeclaresTheSecuritySchemes() {
        Response doc = admin.get("/openapi.json");
        assertThat(doc.json().at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.json().at("/components/securitySchemes/basic/scheme").asText()).isEqualTo("basic");
        assertThat(doc.json().at("/paths/~1tokens/post/security").toString()).contains("bearer").contains("basic");
    }

    @Test
    @Order(8)
    void aRestartShowsNoNewAdminToken() {
        server.close();
        try (LogCapture log = new LogCapture()) {
            server = new TestingServer(home, AUTH_ON);
            assertThat(log.text()).doesNotContain("store it now");
        }
        assertThat(new HttpJson(server.apiUrl()).withToken(adminToken).get("/tokens").status()).isEqualTo(200);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
