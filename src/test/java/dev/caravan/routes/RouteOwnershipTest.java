package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.jmx.ConnectionMBeans;
import dev.caravan.jmx.RouteDirectory;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.Await;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.LogCapture;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route files own nothing that isn't theirs: a route of a connection that does not exist, a route writing where another
 * connection or route file writes (compared resolved, so another destination name for the same directory is no way
 * around it), a second route of a stream, a computed Parquet endpoint — each is refused at load, visibly (log with file
 * and line, API, JMX), and never changes the owner's state, history or files. Fixing the file loads it.
 */
class RouteOwnershipTest {
    @TempDir
    static Path home;
    private static TestingServer server;
    private static Path lake;
    private static HttpJson api;

    @BeforeAll
    static void start() {
        server = new TestingServer(home);
        lake = home.resolve("lake");
        api = new HttpJson(server.apiUrl());
        server.server().apply("""
                sources:
                  - {name: faker-demo, connector: faker, config: {count: 200}}
                destinations:
                  - {name: lake, connector: local, config: {path: "%1$s"}}
                  - {name: lake-alias, connector: local, config: {path: "%1$s/../lake/."}}
                connections:
                  - name: owner
                    source: faker-demo
                    destination: lake
                    namespace: shop
                    streams: [{name: users, sync_mode: incremental_append, cursor_field: updated_at}]
                  - {name: intruder, source: faker-demo, destination: lake-alias, routes: hand_written}
                """.formatted(lake), "setup.yaml");
        assertThat(server.server().syncNow("owner").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String route(String connection, String stream, String destination, String namespace) {
        return """
                # a hand-written route
                - route:
                    id: %1$s.%2$s
                    from:
                      uri: caravan-source:%1$s/%2$s
                      parameters: {source: faker-demo, syncMode: full_refresh_append}
                      steps:
                        - to: {uri: caravan-parquet:%3$s, parameters: {namespace: %4$s}}
                """.formatted(connection, stream, destination, namespace);
    }

    /** What a refused route must never change: the owner's committed state, its job history and its files. */
    private record OwnerSnapshot(Object state, List<String> jobs, Map<String, Long> files) {
        static OwnerSnapshot take() throws IOException {
            Map<String, Long> files = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(lake)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    if (!file.toString().contains("_airbyte_internal/tmp")) {
                        files.put(lake.relativize(file).toString(), Files.size(file));
                    }
                }
            }
            return new OwnerSnapshot(server.server().states().load("owner", "users").orElseThrow().state(),
                    server.server().jobs("owner", 100).stream().map(j -> j.id() + " " + j.status()).toList(), files);
        }
    }

    private static RouteFileStatus awaitStatus(String file, RouteFileStatus.State state) throws InterruptedException {
        Await.until(file + " is " + state, () -> server.server().routeFiles().containsKey(file) && server.server().routeFiles().get(file).state() == state);
        return server.server().routeFiles().get(file);
    }

    private static JsonNode routeFile(String file) {
        for (JsonNode entry : api.get("/route-files").json().get("files")) {
            if (entry.get("file").asText().equals(file)) {
                return entry;
            }
        }
        throw new AssertionError(file + " is not listed by GET /route-files");
    }

    @Test
    void aRouteOfAConnectionThatDoesNotExistIsRefusedAndCannotBeRunFromAnywhere() throws Exception {
        OwnerSnapshot before = OwnerSnapshot.take();
        try (LogCapture log = new LogCapture()) {
            Files.writeString(server.routes().resolve("ghost.yaml"), route("ghost", "users", "lake", "shop"));
            RouteFileStatus status = awaitStatus("ghost.yaml", RouteFileStatus.State.REFUSED);
            assertThat(status.error()).contains("ghost.yaml:2 route ghost.users reads caravan-source:ghost/users, but connection 'ghost' does not exist");
            assertThat(status.routeIds()).isEmpty();
            assertThat(log.text()).contains(server.routes().resolve("ghost.yaml").toString()).contains("connection 'ghost' does not exist");
        }
        assertThat(server.server().camelContext().getRoute("ghost.users")).isNull();
        assertThat(server.server().coordinator().connections()).doesNotContain("ghost");
        assertThat(api.post("/connections/sync", "{\"connection\":\"ghost\"}").status()).isEqualTo(404);
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(ConnectionMBeans.name("ghost"))).isFalse();
        JsonNode listed = routeFile("ghost.yaml");
        assertThat(listed.get("state").asText()).isEqualTo("refused");
        assertThat(listed.get("error").asText()).contains("connection 'ghost' does not exist");
        String[] refused = (String[]) ManagementFactory.getPlatformMBeanServer().getAttribute(RouteDirectory.name(), "RefusedFiles");
        assertThat(refused).anySatisfy(line -> assertThat(line).startsWith("ghost.yaml: refused:").contains("'ghost' does not exist"));
        assertThat(OwnerSnapshot.take()).isEqualTo(before);

        // A schedule route triggering a connection that does not exist is refused the same way.
        Files.writeString(server.routes().resolve("ghost-schedule.yaml"), """
                - route:
                    id: ghost.schedule
                    from:
                      uri: quartz:mine/ghost
                      parameters: {cron: "0 0 * * * ?"}
                      steps:
                        - to: caravan-sync:ghost
                """);
        assertThat(awaitStatus("ghost-schedule.yaml", RouteFileStatus.State.REFUSED).error())
                .contains("triggers caravan-sync:ghost, but connection 'ghost' does not exist");
        assertThat(server.server().camelContext().getRoute("ghost.schedule")).isNull();
        Files.delete(server.routes().resolve("ghost.yaml"));
        Files.delete(server.routes().resolve("ghost-schedule.yaml"));
        Await.until("deleted refused files are no longer reported", () -> !server.server().routeFiles().containsKey("ghost.yaml")
                && !server.server().routeFiles().containsKey("ghost-schedule.yaml"));
    }

    @Test
    void aRouteWritingWhereAnotherConnectionWritesIsRefusedEvenThroughAnotherDestinationName() throws Exception {
        OwnerSnapshot before = OwnerSnapshot.take();
        Path file = server.routes().resolve("intruder.yaml");
        Files.writeString(file, route("intruder", "users", "lake-alias", "shop"));
        RouteFileStatus status = awaitStatus("intruder.yaml", RouteFileStatus.State.REFUSED);
        assertThat(status.error()).contains("intruder.yaml:2 route intruder.users would write raw/shop/users in destination lake-alias ("
                + lake.toUri().toString().replaceAll("/$", "") + ")").contains("connection 'owner'");
        assertThat(server.server().camelContext().getRoute("intruder.users")).isNull();
        assertThat(api.post("/connections/sync", "{\"connection\":\"intruder\",\"wait\":true}").status())
                .as("a hand-written connection without an admitted route has nothing to run").isEqualTo(400);
        assertThat(OwnerSnapshot.take()).isEqualTo(before);

        // A second route of a stream is refused too: the owner's generated file already reads owner/users.
        Files.writeString(server.routes().resolve("second.yaml"), route("owner", "users", "lake", "elsewhere").replace("owner.users", "owner.users2"));
        assertThat(awaitStatus("second.yaml", RouteFileStatus.State.REFUSED).error())
                .contains("reads a stream of connection 'owner', whose routes Caravan generates into owner.yaml");

        // A computed Parquet endpoint is refused: where it writes cannot be known when the file loads.
        Files.writeString(server.routes().resolve("computed.yaml"), """
                - route:
                    id: intruder.products
                    from:
                      uri: caravan-source:intruder/products
                      parameters: {source: faker-demo}
                      steps:
                        - toD: "caravan-parquet:lake-alias?namespace=${header.CaravanStream}"
                """);
        assertThat(awaitStatus("computed.yaml", RouteFileStatus.State.REFUSED).error()).contains("sends to a computed URI");

        // Fixing the file makes it load at the next scan; it then syncs into its own place only.
        Files.writeString(file, route("intruder", "users", "lake-alias", "mine"));
        assertThat(awaitStatus("intruder.yaml", RouteFileStatus.State.LOADED).routeIds()).containsExactly("intruder.users");
        server.awaitStartedRoute("intruder.users", null);
        JobRecord job = server.server().syncNow("intruder").orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        try (ParquetQuery duck = new ParquetQuery()) {
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/mine/users")))).isEqualTo(200);
        }
        OwnerSnapshot after = OwnerSnapshot.take();
        assertThat(after.state()).isEqualTo(before.state());
        assertThat(after.jobs()).isEqualTo(before.jobs());
        assertThat(after.files()).as("the owner's files").containsAllEntriesOf(before.files());

        // Now a connection applied to write where the route writes is refused, whatever the way in (API here).
        HttpJson.Response clash = api.post("/connections", """
                {"name": "clash", "source": "faker-demo", "destination": "lake", "namespace": "mine", "streams": [{"name": "users"}]}""");
        assertThat(clash.status()).isEqualTo(400);
        assertThat(clash.text()).contains("intruder.yaml:2 route intruder.users (connection 'intruder', stream users)");
        assertThat(server.server().configs().connection("clash")).isEmpty();

        // Deleting the hand-written connection stops its routes: they are refused until it exists again.
        assertThat(api.delete("/connections/intruder").status()).isEqualTo(204);
        assertThat(awaitStatus("intruder.yaml", RouteFileStatus.State.REFUSED).error()).contains("connection 'intruder' does not exist");
        assertThat(server.server().camelContext().getRoute("intruder.users")).isNull();
        server.server().apply("""
                connections: [{name: intruder, source: faker-demo, destination: lake-alias, routes: hand_written}]
                """, "again.yaml");
        assertThat(awaitStatus("intruder.yaml", RouteFileStatus.State.LOADED).routeIds()).containsExactly("intruder.users");
        Files.delete(file);
        Files.delete(server.routes().resolve("second.yaml"));
        Files.delete(server.routes().resolve("computed.yaml"));
    }

    @Test
    void aHandWrittenConnectionReadsOnlyItsSourceAndWritesOnlyItsDestination() throws Exception {
        server.server().apply("""
                destinations:
                  - {name: other-lake, connector: local, config: {path: "%s"}}
                connections:
                  - {name: strict, source: faker-demo, destination: lake, routes: hand_written}
                """.formatted(home.resolve("other-lake")), "strict.yaml");
        Files.writeString(server.routes().resolve("strict.yaml"), route("strict", "products", "other-lake", "strict"));
        assertThat(awaitStatus("strict.yaml", RouteFileStatus.State.REFUSED).error())
                .contains("writes destination 'other-lake', but connection 'strict' writes destination 'lake'");
        Files.delete(server.routes().resolve("strict.yaml"));
    }
}
