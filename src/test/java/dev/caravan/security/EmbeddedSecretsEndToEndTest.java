package dev.caravan.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.ServerSettings;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.LogCapture;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Secrets written inside other settings (a JDBC URL's {@code user:password@} and {@code ?password=}, {@code jdbc_params}
 * pairs, a webhook's token) against the real PostgreSQL: encrypted in the metadata store, masked in every answer, export,
 * route file, log line, check/discover error and job history row, kept when sent back masked; and two servers in one JVM
 * each mask only their own secrets.
 */
class EmbeddedSecretsEndToEndTest {
    private static final String MASK = ConnectorSpec.MASK;
    private static final String QUERY_PASSWORD = "Query-Pa55-7f3a91";
    private static final String SSL_PASSWORD = "Ssl-Key-Pa55-91be0c";
    private static final String USERINFO_PASSWORD = "UserInfo-Pa55-42d17e";
    private static final String PARAMS_PASSWORD = "Params-Ssl-Pa55-c0de55";
    private static final String WEBHOOK_TOKEN = "Hook-T0ken-5ab1e7";
    private static final List<String> SECRETS = List.of(QUERY_PASSWORD, SSL_PASSWORD, USERINFO_PASSWORD, PARAMS_PASSWORD, WEBHOOK_TOKEN);

    private static TestingPostgres pg;
    private static String hostPort;
    private static String database;

    @TempDir
    Path home;
    private final List<String> seen = new ArrayList<>();

    @BeforeAll
    static void createTable() throws Exception {
        pg = new TestingPostgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        }
        String rest = pg.jdbcUrl().substring("jdbc:postgresql://".length());
        hostPort = rest.substring(0, rest.indexOf('/'));
        database = rest.substring(rest.indexOf('/') + 1);
    }

    @AfterAll
    static void dropDatabase() {
        pg.close();
    }

    private Response keep(Response response) {
        seen.add(response.text());
        return response;
    }

    private static String url(String db) {
        return "jdbc:postgresql://" + hostPort + "/" + db + "?user=postgres&password=" + QUERY_PASSWORD + "&sslpassword=" + SSL_PASSWORD;
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void secretsInsideUrlsAndParametersNeverLeaveTheServerInClear() throws Exception {
        String lake = home.resolve("lake").toString().replace("\\", "/");
        try (LogCapture log = new LogCapture(); TestingServer server = new TestingServer(home)) {
            HttpJson api = new HttpJson(server.apiUrl());
            Response created = keep(api.post("/sources", "{\"name\":\"shop\",\"connector\":\"jdbc\",\"config\":{\"url\":" + json(url(database)) + "}}"));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String shownUrl = created.json().at("/config/url").asText();
            assertThat(shownUrl).isEqualTo("jdbc:postgresql://" + hostPort + "/" + database + "?user=postgres&password=" + MASK + "&sslpassword=" + MASK);
            String[] hostAndPort = hostPort.split(":");
            Response pgSource = keep(api.post("/sources", "{\"name\":\"pgshop\",\"connector\":\"postgres\",\"config\":{\"host\":\"" + hostAndPort[0]
                    + "\",\"port\":" + hostAndPort[1] + ",\"database\":\"" + database + "\",\"username\":\"postgres\",\"jdbc_params\":"
                    + json("sslpassword=" + PARAMS_PASSWORD + "&tcpKeepAlive=true") + "}}"));
            assertThat(pgSource.status()).as(pgSource.text()).isEqualTo(201);
            assertThat(pgSource.json().at("/config/jdbc_params").asText()).isEqualTo("sslpassword=" + MASK + "&tcpKeepAlive=true");
            // PostgreSQL's driver does not take user:password@; the check fails and its message must not show the password.
            keep(api.post("/sources", "{\"name\":\"userinfo\",\"connector\":\"jdbc\",\"config\":{\"url\":"
                    + json("jdbc:postgresql://postgres:" + USERINFO_PASSWORD + "@" + hostPort + "/" + database + "?password=" + QUERY_PASSWORD) + "}}"));
            // No driver takes this URL: the pool's message echoes it whole.
            keep(api.post("/sources", "{\"name\":\"typo\",\"connector\":\"jdbc\",\"config\":{\"url\":"
                    + json("jdbc:postgresq://postgres:" + USERINFO_PASSWORD + "@" + hostPort + "/" + database + "?password=" + QUERY_PASSWORD) + "}}"));
            keep(api.post("/destinations", "{\"name\":\"lake\",\"connector\":\"local\",\"config\":{\"path\":" + json(lake) + "}}"));

            assertThat(keep(api.post("/sources/shop/check", "")).json().get("status").asText()).isEqualTo("succeeded");
            assertThat(keep(api.post("/sources/pgshop/check", "")).json().get("status").asText()).isEqualTo("succeeded");
            Response userInfoCheck = keep(api.post("/sources/userinfo/check", ""));
            assertThat(userInfoCheck.json().get("status").asText()).as(userInfoCheck.text()).isEqualTo("failed");
            Response typoCheck = keep(api.post("/sources/typo/check", ""));
            assertThat(typoCheck.json().get("status").asText()).isEqualTo("failed");
            keep(api.post("/sources/typo/discover", ""));

            Response connection = keep(api.post("/connections", "{\"name\":\"orders\",\"source\":\"shop\",\"destination\":\"lake\",\"prefix\":\"g_\","
                    + "\"streams\":[{\"name\":\"public.items\"}]}"));
            assertThat(connection.status()).as(connection.text()).isEqualTo(201);
            Response hooked = keep(api.post("/connections", "{\"name\":\"hooked\",\"source\":\"pgshop\",\"destination\":\"lake\",\"prefix\":\"p_\","
                    + "\"streams\":[{\"name\":\"public.items\"}],\"webhook\":" + json("http://127.0.0.1:9/hook?channel=ops&token=" + WEBHOOK_TOKEN) + "}"));
            assertThat(hooked.status()).as(hooked.text()).isEqualTo(201);
            assertThat(hooked.json().get("webhook").asText()).isEqualTo("http://127.0.0.1:9/hook?channel=ops&token=" + MASK);
            assertThat(keep(api.post("/connections/sync", "{\"connection\":\"orders\",\"wait\":true}")).json().get("records").asLong()).isEqualTo(3);
            assertThat(keep(api.post("/connections/sync", "{\"connection\":\"hooked\",\"wait\":true}")).json().get("records").asLong()).isEqualTo(3);

            // The database name changed, the secrets sent back masked: they are kept, and the driver's error is masked.
            String wrongDb = "jdbc:postgresql://" + hostPort + "/no_such_db_42?user=postgres&password=" + MASK + "&sslpassword=" + MASK;
            Response moved = keep(api.put("/sources/shop", "{\"connector\":\"jdbc\",\"config\":{\"url\":" + json(wrongDb) + "}}"));
            assertThat(moved.status()).as(moved.text()).isEqualTo(200);
            assertThat(server.server().configs().source("shop").orElseThrow().config().get("url"))
                    .isEqualTo("jdbc:postgresql://" + hostPort + "/no_such_db_42?user=postgres&password=" + QUERY_PASSWORD + "&sslpassword=" + SSL_PASSWORD);
            Response wrongCheck = keep(api.post("/sources/shop/check", ""));
            assertThat(wrongCheck.json().get("message").asText()).as(wrongCheck.text()).contains("no_such_db_42");
            keep(api.post("/sources/shop/discover", ""));
            Response failedJob = keep(api.post("/connections/sync", "{\"connection\":\"orders\",\"wait\":true}"));
            assertThat(failedJob.json().get("status").asText()).as(failedJob.text()).isEqualTo("failed");
            keep(api.get("/jobs/" + failedJob.json().get("id").asLong()));
            keep(api.get("/jobs?connection=orders"));

            // A masked parameter that was never stored cannot be kept: the field is named, nothing is changed.
            Response unknown = keep(api.put("/sources/pgshop", "{\"connector\":\"postgres\",\"config\":" + pgSource.json().get("config").toString()
                    .replace("&tcpKeepAlive=true", "&tcpKeepAlive=true&sslkey=" + MASK) + "}"));
            assertThat(unknown.status()).as(unknown.text()).isEqualTo(400);
            assertThat(unknown.text()).contains("jdbc_params").contains("no stored secret");
            assertThat(server.server().configs().source("pgshop").orElseThrow().config().get("jdbc_params"))
                    .isEqualTo("sslpassword=" + PARAMS_PASSWORD + "&tcpKeepAlive=true");

            // What GET shows, sent back as it is, keeps working.
            Response back = keep(api.put("/sources/shop", "{\"connector\":\"jdbc\",\"config\":{\"url\":" + json(shownUrl) + "}}"));
            assertThat(back.status()).as(back.text()).isEqualTo(200);
            Response hookBack = keep(api.put("/connections/hooked", "{\"source\":\"pgshop\",\"destination\":\"lake\",\"prefix\":\"p_\","
                    + "\"streams\":[{\"name\":\"public.items\"}],\"webhook\":" + json(hooked.json().get("webhook").asText()) + "}"));
            assertThat(hookBack.status()).as(hookBack.text()).isEqualTo(200);
            assertThat(server.server().configs().connection("hooked").orElseThrow().webhook().toString()).endsWith("token=" + WEBHOOK_TOKEN);
            Response again = keep(api.post("/connections/sync", "{\"connection\":\"orders\",\"wait\":true}"));
            assertThat(again.json().get("status").asText()).as(again.text()).isEqualTo("succeeded");

            keep(api.get("/sources"));
            keep(api.get("/connections"));
            Response export = keep(api.get("/export"));
            assertThat(export.text()).contains("password=" + MASK).contains("token=" + MASK);
            assertThat(keep(api.postYaml("/apply", export.text())).json().get("changes").findValuesAsText("action")).containsOnly("unchanged");

            List<String> routeFiles = new ArrayList<>();
            try (Stream<Path> files = Files.list(server.routes())) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    routeFiles.add(Files.readString(file));
                }
            }
            assertThat(routeFiles).hasSize(2);
            String logged = log.text();
            assertThat(logged).as("the failed sync was logged").contains("no_such_db_42");
            for (String secret : SECRETS) {
                assertThat(seen).as("API answers and the export").noneSatisfy(text -> assertThat(text).contains(secret));
                assertThat(routeFiles).as("route files").noneSatisfy(text -> assertThat(text).contains(secret));
                assertThat(logged).as("the log").doesNotContain(secret);
            }
            assertThat(String.join("\n", seen)).as("the echoed URL, masked").contains("postgres:" + MASK + "@" + hostPort);
        }
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("data/state"), "", "");
             Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT name, body FROM caravan_definition")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                String body = rs.getString("body");
                for (String secret : SECRETS) {
                    assertThat(body).as("stored " + rs.getString("name")).doesNotContain(secret);
                }
                if (List.of("shop", "pgshop", "userinfo", "typo", "hooked").contains(rs.getString("name"))) {
                    assertThat(body).as("stored " + rs.getString("name")).contains("enc:v1:");
                }
            }
            assertThat(rows).isEqualTo(7);
        }
    }

    @Test
    void theMetadataStoreUrlIsLoggedWithItsSecretsMasked() {
        String storePassword = "Store-Url-Pa55-e1f2";
        try (TestingPostgres store = new TestingPostgres(); LogCapture log = new LogCapture();
             TestingServer server = new TestingServer(home, Map.of(ServerSettings.STATE_URL, store.jdbcUrl() + "?user=postgres&password=" + storePassword,
                     ServerSettings.SYNC_MAX_ATTEMPTS, "1"))) {
            assertThat(log.text()).contains("state " + store.jdbcUrl() + "?user=postgres&password=" + MASK).doesNotContain(storePassword);
            assertThat(server.server().secrets().mask("echo " + storePassword)).isEqualTo("echo " + MASK);
        }
    }

    @Test
    void twoServersInOneJvmMaskOnlyTheirOwnSecrets(@TempDir Path otherHome) throws IOException {
        String alpha = "Alpha-Secret-1111aa";
        String bravo = "Bravo-Secret-2222bb";
        try (LogCapture log = new LogCapture(); TestingServer a = new TestingServer(home); TestingServer b = new TestingServer(otherHome)) {
            HttpJson apiA = new HttpJson(a.apiUrl());
            HttpJson apiB = new HttpJson(b.apiUrl());
            // Each server holds one value as a password and the other's as a plain user name (not a secret there).
            assertThat(apiA.post("/sources", "{\"name\":\"db\",\"connector\":\"jdbc\",\"config\":{\"url\":"
                    + json("jdbc:postgresql://" + hostPort + "/" + database + "?password=" + alpha) + ",\"username\":\"" + bravo + "\"}}").status()).isEqualTo(201);
            assertThat(apiB.post("/sources", "{\"name\":\"db\",\"connector\":\"jdbc\",\"config\":{\"url\":"
                    + json("jdbc:postgresql://" + hostPort + "/" + database + "?password=" + bravo) + ",\"username\":\"" + alpha + "\"}}").status()).isEqualTo(201);

            Response shownByA = apiA.get("/sources/db");
            Response shownByB = apiB.get("/sources/db");
            assertThat(shownByA.json().at("/config/url").asText()).endsWith("password=" + MASK);
            assertThat(shownByA.json().at("/config/username").asText()).as("B's secret is a plain value on A").isEqualTo(bravo);
            assertThat(shownByB.json().at("/config/url").asText()).endsWith("password=" + MASK);
            assertThat(shownByB.json().at("/config/username").asText()).as("A's secret is a plain value on B").isEqualTo(alpha);

            // The user does not exist: PostgreSQL names it in its error, which each server masks with its own secrets only.
            String checkOnA = apiA.post("/sources/db/check", "").json().get("message").asText();
            String checkOnB = apiB.post("/sources/db/check", "").json().get("message").asText();
            assertThat(checkOnA).contains(bravo).doesNotContain(alpha);
            assertThat(checkOnB).contains(alpha).doesNotContain(bravo);
            assertThat(a.server().secrets().mask(alpha + " " + bravo)).isEqualTo(MASK + " " + bravo);
            assertThat(b.server().secrets().mask(alpha + " " + bravo)).isEqualTo(alpha + " " + MASK);

            // The log is shared by both: it masks the secrets of every running server.
            LoggerFactory.getLogger(EmbeddedSecretsEndToEndTest.class).info("both {} {}", alpha, bravo);
            assertThat(log.text()).contains("both " + MASK + " " + MASK).doesNotContain(alpha).doesNotContain(bravo);
        }
    }
}
