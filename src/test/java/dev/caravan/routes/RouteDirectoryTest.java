package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.CaravanException;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.Await;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Route files dropped into, changed in and removed from the route directory of a running server. */
class RouteDirectoryTest {
    @TempDir
    static Path home;
    private static TestingServer server;
    private static Path lake;

    @BeforeAll
    static void start() {
        server = new TestingServer(home);
        lake = home.resolve("lake");
        server.server().apply("""
                sources:
                  - {name: faker-demo, connector: faker, config: {count: 200}}
                destinations:
                  - {name: lake, connector: local, config: {path: "%s"}}
                connections:
                  - {name: handmade, source: faker-demo, destination: lake, routes: hand_written}
                  - {name: other, source: faker-demo, destination: lake, routes: hand_written}
                  - {name: paused, source: faker-demo, destination: lake, routes: hand_written}
                  - {name: xmldemo, source: faker-demo, destination: lake, routes: hand_written}
                  - {name: dup, source: faker-demo, destination: lake, routes: hand_written}
                """.formatted(lake), "setup.yaml");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String handmade(String namespace) {
        return """
                - route:
                    id: handmade.products
                    group: handmade
                    from:
                      uri: caravan-source:handmade/products
                      parameters: {source: faker-demo, syncMode: full_refresh_overwrite}
                      steps:
                        - to: {uri: caravan-parquet:lake, parameters: {namespace: %s}}
                """.formatted(namespace);
    }

    private static long rows(Path dir) {
        try (ParquetQuery duck = new ParquetQuery()) {
            return duck.count("SELECT count(*) FROM " + ParquetQuery.files(dir));
        }
    }

    @Test
    void aDroppedFileIsLoadedChangedAndRemovedWhileOthersKeepRunning() throws Exception {
        Path file = server.routes().resolve("handmade.yaml");
        Files.writeString(file, handmade("hand"));
        Await.until("handmade.products runs", () -> server.server().camelContext().getRouteController()
                .getRouteStatus("handmade.products") == ServiceStatus.Started);
        JobRecord job = server.server().syncNow("handmade").orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(rows(lake.resolve("raw/hand/products"))).isEqualTo(20);

        // A malformed file is reported; the running route is untouched.
        Files.writeString(server.routes().resolve("broken.yaml"), "- route:\n    id: broken\n    from: [this is: not, a: route\n");
        Await.until("broken.yaml is reported", () -> server.server().routeFiles().containsKey("broken.yaml"));
        RouteFileStatus broken = server.server().routeFiles().get("broken.yaml");
        assertThat(broken.loaded()).isFalse();
        assertThat(broken.error()).contains("cannot be parsed");
        assertThat(server.server().syncNow("handmade").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);

        // A route naming another source than its connection's is refused with the fix, nothing else changes.
        Files.writeString(server.routes().resolve("unknown-source.yaml"), handmade("x").replace("handmade", "other").replace("faker-demo", "nope"));
        Await.until("unknown-source.yaml is reported", () -> server.server().routeFiles().containsKey("unknown-source.yaml"));
        assertThat(server.server().routeFiles().get("unknown-source.yaml").state()).isEqualTo(RouteFileStatus.State.REFUSED);
        assertThat(server.server().routeFiles().get("unknown-source.yaml").error())
                .contains("unknown-source.yaml:1 route other.products reads source 'nope', but connection 'other' reads source 'faker-demo'");
        assertThat(server.server().camelContext().getRoute("other.products")).isNull();

        // A change reloads the file's routes.
        Files.writeString(file, handmade("moved"));
        Await.until("the changed route writes to the new namespace", () -> server.server().camelContext().getEndpoints().stream()
                .anyMatch(e -> e.getEndpointUri().contains("namespace=moved"))
                && server.server().camelContext().getRouteController().getRouteStatus("handmade.products") == ServiceStatus.Started);
        assertThat(server.server().syncNow("handmade").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(rows(lake.resolve("raw/moved/products"))).isEqualTo(20);

        // A broken edit of a running file keeps its previous version running.
        Files.writeString(file, "- route: {id: handmade.products, from: {uri: 'caravan-source:handmade/products'}, steps: [{to: x]\n");
        Await.until("the broken edit is reported", () -> !server.server().routeFiles().get("handmade.yaml").loaded());
        assertThat(server.server().routeFiles().get("handmade.yaml").error()).contains("previous version keeps running");
        assertThat(server.server().syncNow("handmade").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);

        // Deleting the file removes its routes.
        Files.delete(file);
        Await.until("handmade.products is removed", () -> server.server().camelContext().getRoute("handmade.products") == null);
        assertThatThrownBy(() -> server.server().syncNow("handmade")).isInstanceOf(CaravanException.class)
                .hasMessageContaining("no started stream route");
    }

    /** A stopped stream route still belongs to its connection: its stream fails in the job with the fix, the others sync. */
    @Test
    void aStoppedStreamRouteIsReportedInTheJobUntilItIsStartedAgain() throws Exception {
        Files.writeString(server.routes().resolve("paused.yaml"), handmade("paused").replace("handmade", "paused")
                + handmade("paused").replace("handmade", "paused").replace("products", "users"));
        Await.until("paused.users runs", () -> server.server().camelContext().getRouteController()
                .getRouteStatus("paused.users") == ServiceStatus.Started);
        server.server().camelContext().getRouteController().stopRoute("paused.users");

        JobRecord withOneStopped = server.server().syncNow("paused").orElseThrow();
        assertThat(withOneStopped.status()).isEqualTo(JobStatus.FAILED);
        assertThat(withOneStopped.errorType()).isEqualTo("CONFIG");
        assertThat(withOneStopped.streams()).extracting(s -> s.stream() + " " + s.status())
                .containsExactly("products SUCCEEDED", "users FAILED");
        assertThat(withOneStopped.streams().get(1).errorMessage()).contains("route of stream users is not started");

        server.server().camelContext().getRouteController().stopRoute("paused.products");
        JobRecord withBothStopped = server.server().syncNow("paused").orElseThrow();
        assertThat(withBothStopped.streams()).extracting(s -> s.stream() + " " + s.status())
                .containsExactly("products FAILED", "users FAILED");

        server.server().camelContext().getRouteController().startRoute("paused.users");
        server.server().camelContext().getRouteController().startRoute("paused.products");
        assertThat(server.server().syncNow("paused").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        Files.delete(server.routes().resolve("paused.yaml"));
        Await.until("paused.users is removed", () -> server.server().camelContext().getRoute("paused.users") == null);
    }

    @Test
    void xmlRouteFilesWorkTheSameWay() throws Exception {
        Files.writeString(server.routes().resolve("xml-demo.xml"), """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route id="xmldemo.users" group="xmldemo">
                    <from uri="caravan-source:xmldemo/users?source=faker-demo&amp;syncMode=full_refresh_append"/>
                    <to uri="caravan-parquet:lake?namespace=xml"/>
                  </route>
                </routes>
                """);
        Await.until("xmldemo.users runs", () -> server.server().camelContext().getRoute("xmldemo.users") != null);
        assertThat(server.server().syncNow("xmldemo").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(rows(lake.resolve("raw/xml/users"))).isEqualTo(200);
    }

    @Test
    void aRouteIdAlreadyOwnedByAnotherFileIsRefused() throws Exception {
        Files.writeString(server.routes().resolve("first.yaml"), handmade("a").replace("handmade", "dup"));
        Await.until("first.yaml loads", () -> server.server().camelContext().getRoute("dup.products") != null);
        Files.writeString(server.routes().resolve("second.yaml"), handmade("b").replace("handmade", "dup"));
        Await.until("second.yaml is reported", () -> server.server().routeFiles().containsKey("second.yaml"));
        assertThat(server.server().routeFiles().get("second.yaml").error()).contains("already used by first.yaml");
        assertThat(server.server().routeFiles().get("first.yaml").loaded()).isTrue();
    }
}
