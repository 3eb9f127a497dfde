package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.caravan.testing.Await;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Camel components a route author expects (timer, direct, seda, log, http, jdbc, sql) load and run in a dropped
 * route file; route files serve HTTP only at {@code servlet:/hooks/<name>}, never see the caller's credentials there,
 * and receive {@code caravan-jobs:} events only of connections that exist.
 */
class BundledComponentsTest {
    @TempDir
    static Path home;
    private static TestingServer server;
    private static TestingPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = new TestingPostgres();
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ticks (source text)");
        }
        server = new TestingServer(home);
        server.server().apply("""
                sources:
                  - {name: shop, connector: faker, config: {count: 10}}
                destinations:
                  - {name: lake, connector: local, config: {path: "%s"}}
                connections:
                  - {name: orders, source: shop, destination: lake, streams: [{name: users}]}
                """.formatted(home.resolve("lake")), "setup.yaml");
    }

    @AfterAll
    static void stop() {
        server.close();
        postgres.close();
    }

    @Test
    void timerDirectSedaLogHttpJdbcAndSqlRunInADroppedRouteFile() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/ping", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        target.start();
        try {
            Files.writeString(server.routes().resolve("bundled.yaml"), """
                    - beans:
                        - name: ticksDb
                          type: org.postgresql.ds.PGSimpleDataSource
                          properties: {url: "%s", user: "%s"}
                    - route:
                        id: bundled.tick
                        from:
                          uri: timer:bundled
                          parameters: {repeatCount: 1, delay: 0}
                          steps:
                            - setBody: {constant: tick}
                            - to: direct:bundled-next
                    - route:
                        id: bundled.direct
                        from:
                          uri: direct:bundled-next
                          steps:
                            - to: seda:bundled-queue
                    - route:
                        id: bundled.seda
                        from:
                          uri: seda:bundled-queue
                          steps:
                            - to: "http://127.0.0.1:%d/ping"
                            - log: "bundled route ran"
                            - setBody: {constant: "INSERT INTO ticks (source) VALUES ('jdbc')"}
                            - to: jdbc:ticksDb
                            - to: "sql:INSERT INTO ticks (source) VALUES ('sql')?dataSource=#ticksDb"
                    """.formatted(postgres.jdbcUrl(), postgres.user(), target.getAddress().getPort()));
            server.awaitLoaded("bundled.yaml");
            Await.until("the timer's exchange went through every component", () -> sources().size() == 2);
            assertThat(received).containsExactly("tick");
            assertThat(sources()).containsExactlyInAnyOrder("jdbc", "sql");
        } finally {
            target.stop(0);
        }
    }

    @Test
    void routeFilesServeHttpOnlyAtHooksAndTheHookNeverSeesCredentials() throws Exception {
        String[][] refusedFiles = {
                {"api-path.yaml", "servlet:/connections", "a route file may serve HTTP only as servlet:/hooks/<name>"},
                {"nested-hook.yaml", "servlet:/hooks/a/b", "a route file may serve HTTP only as servlet:/hooks/<name>"},
                {"catch-all.yaml", "servlet:/?matchOnUriPrefix=true", "a route file may serve HTTP only as servlet:/hooks/<name>"},
                {"rest.yaml", "rest:post:/hooks/x", "a route file may serve HTTP only as servlet:/hooks/<name>"},
                {"no-such-connection.yaml", "caravan-jobs:nope", "connection 'nope' does not exist"}};
        for (String[] file : refusedFiles) {
            Files.writeString(server.routes().resolve(file[0]), """
                    - route:
                        id: %s
                        from:
                          uri: "%s"
                          steps:
                            - log: hello
                    """.formatted(file[0].replace(".yaml", ""), file[1]));
        }
        Files.writeString(server.routes().resolve("jobs-as-step.yaml"), """
                - route:
                    id: jobs-as-step
                    from:
                      uri: timer:never
                      parameters: {delay: 3600000}
                      steps:
                        - to: caravan-jobs:orders
                """);
        for (String[] file : refusedFiles) {
            RouteFileStatus status = awaitStatus(file[0]);
            assertThat(status.state()).as(file[0]).isEqualTo(RouteFileStatus.State.REFUSED);
            assertThat(status.error()).as(file[0]).contains(file[2]);
        }
        assertThat(awaitStatus("jobs-as-step.yaml").error()).contains("caravan-jobs: can only start a route (from:)");
        assertThat(server.server().camelContext().getRoute("api-path")).isNull();

        Files.writeString(server.routes().resolve("echo.yaml"), """
                - route:
                    id: hook.echo
                    from:
                      uri: servlet:/hooks/echo
                      steps:
                        - setBody: {simple: "auth=${header.Authorization};cookie=${header.Cookie};x=${header.X-Test}"}
                """);
        server.awaitLoaded("echo.yaml");
        HttpResponse<String> echo = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.apiUrl() + "/hooks/echo"))
                .header("Authorization", "Bearer cvn_secret-token").header("Cookie", "JSESSIONID=abc").header("X-Test", "yes")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.body()).isEqualTo("auth=;cookie=;x=yes");
    }

    @Test
    void aJobEventsEndpointWithAnUnknownStatusFailsNamingTheOption() throws Exception {
        Files.writeString(server.routes().resolve("bad-status.yaml"), """
                - route:
                    id: bad-status
                    from:
                      uri: caravan-jobs:orders
                      parameters: {statuses: "succeeded,done"}
                      steps:
                        - log: hello
                """);
        RouteFileStatus status = awaitStatus("bad-status.yaml");
        assertThat(status.state()).isEqualTo(RouteFileStatus.State.FAILED);
        assertThat(status.error()).contains("statuses").contains("done").contains("use succeeded, failed, cancelled or interrupted");
    }

    private static RouteFileStatus awaitStatus(String file) throws InterruptedException {
        Await.until(file + " checked", () -> server.server().routeFiles().containsKey(file));
        return server.server().routeFiles().get(file);
    }

    private static List<String> sources() {
        try (Connection c = postgres.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT source FROM ticks")) {
            List<String> all = new java.util.ArrayList<>();
            while (r.next()) {
                all.add(r.getString(1));
            }
            return all;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
