package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.CaravanServer;
import dev.caravan.server.ServerSettings;
import dev.caravan.testing.ParquetQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's demo: serve, apply the demo document, sync, print where the files are — here with --exit. */
class ServeCommandTest {

    @Test
    void theDemoDocumentSyncsAndTellsWhereTheFilesAre(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        String demo = Files.readString(Path.of("docs/examples/demo.yaml")).replace("path: ./lake", "path: \"" + lake + "\"");
        Path document = Files.writeString(home.resolve("demo.yaml"), demo);

        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        // a one-shot run serves no HTTP: a port taken by someone else does not stop it
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.setProperty(ServerSettings.HTTP_PORT, Integer.toString(taken.getLocalPort()));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = CaravanCli.execute("serve", "--home", home.toString(), "--apply", document.toString(), "--sync", "demo", "--exit");
        } finally {
            System.setOut(original);
            System.clearProperty(ServerSettings.HTTP_PORT);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output).contains("Job 1 of demo: SUCCEEDED").contains("3,100 records")
                .contains("Files: " + lake.resolve("raw").resolve("demo"));
        assertThat(home.resolve("data/hawtio")).as("a one-shot run does not unpack the console").doesNotExist();
        try (ParquetQuery duck = new ParquetQuery()) {
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/demo/faker_users")))).isEqualTo(1000);
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/demo/faker_products")))).isEqualTo(100);
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/demo/faker_purchases")))).isEqualTo(2000);
        }
    }

    /**
     * A one-shot run settles what a crash left at the lakes it writes to, before its sync, and leaves every other lake to
     * its own syncs (or the next server start, which settles them all): reaching each lake costs start time (an S3
     * client, listing the lake) that the run does not need.
     */
    @Test
    void aOneShotRunSettlesOnlyTheLakesOfTheConnectionsItSyncs(@TempDir Path home) throws Exception {
        Path synced = home.resolve("synced");
        Path other = home.resolve("other");
        Path document = Files.writeString(home.resolve("two-lakes.yaml"), """
                sources: [{name: fake, connector: faker, config: {seed: 1, count: 10}}]
                destinations:
                  - {name: synced, connector: local, config: {path: "%s"}}
                  - {name: other, connector: local, config: {path: "%s"}}
                connections:
                  - {name: to-synced, source: fake, destination: synced, streams: [{name: users, sync_mode: full_refresh_append}]}
                  - {name: to-other, source: fake, destination: other, streams: [{name: users, sync_mode: full_refresh_append}]}
                """.formatted(synced, other));
        // both lakes known to the server (applied by an earlier run), then a crash in each
        assertThat(CaravanCli.execute("serve", "--home", home.toString(), "--apply", document.toString(), "--exit")).isZero();
        for (Path lake : List.of(synced, other)) {
            leaveInterruptedPublish(lake);
        }

        int exit = CaravanCli.execute("serve", "--home", home.toString(), "--sync", "to-synced", "--exit");

        assertThat(exit).isZero();
        assertThat(synced.resolve(GHOST_FILE)).as("the synced lake's interrupted publish was rolled back").doesNotExist();
        assertThat(synced.resolve(GHOST_JOURNAL)).doesNotExist();
        assertThat(other.resolve(GHOST_FILE)).as("a lake the run does not write to is not touched").exists();
        assertThat(other.resolve(GHOST_JOURNAL)).exists();

        // a server that stays up settles every lake when it starts
        try (CaravanServer server = CaravanServer.start(ServerSettings.load(Map.of(ServerSettings.HOME, home.toString(),
                ServerSettings.HTTP_ENABLED, "false", ServerSettings.JMX_ENABLED, "false")))) {
            assertThat(other.resolve(GHOST_FILE)).doesNotExist();
            assertThat(other.resolve(GHOST_JOURNAL)).doesNotExist();
        }
    }

    /**
     * A one-shot run starts only the generated routes of the connections it syncs (serve --sync sets
     * caravan.routes.only-connections): the others' files are written, left unloaded, and load in a server that stays up.
     * A hand-written route file loads either way.
     */
    @Test
    void aOneShotRunLoadsOnlyTheGeneratedRoutesOfTheConnectionsItSyncs(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        String document = """
                sources: [{name: fake, connector: faker, config: {seed: 1, count: 10}}]
                destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                connections:
                  - {name: synced, source: fake, destination: lake, streams: [{name: users, sync_mode: full_refresh_append}]}
                  - {name: other, source: fake, destination: lake, namespace: other, streams: [{name: users, sync_mode: full_refresh_append}]}
                  - {name: manual, source: fake, destination: lake, namespace: manual, routes: hand_written}
                """.formatted(lake);
        Path routes = Files.createDirectories(home.resolve("camel-routes"));
        Files.writeString(routes.resolve("mine.yaml"), """
                - route:
                    id: mine
                    from: {uri: "timer:mine?repeatCount=1&delay=3600000", steps: [{to: "log:mine"}]}
                """);
        // the stream route of a hand_written connection the run does not sync: your own file, so it loads
        Files.writeString(routes.resolve("manual-users.yaml"), """
                - route:
                    id: manual.users
                    from:
                      uri: caravan-source:manual/users
                      parameters: {source: fake, syncMode: full_refresh_append}
                      steps:
                        - to: "caravan-parquet:lake?namespace=manual"
                """);
        Map<String, String> oneShot = Map.of(ServerSettings.HOME, home.toString(), ServerSettings.HTTP_ENABLED, "false",
                ServerSettings.JMX_ENABLED, "false", ServerSettings.ROUTES_ONLY_CONNECTIONS, "synced");
        try (CaravanServer server = CaravanServer.start(ServerSettings.load(oneShot))) {
            server.apply(document, "test");
            assertThat(routes.resolve("other.yaml")).as("the file is written for the servers that load it").exists();
            assertThat(server.routeFiles()).containsKeys("synced.yaml", "mine.yaml", "manual-users.yaml").doesNotContainKey("other.yaml");
            assertThat(server.routeFiles().values()).as(server.routeFiles().toString()).allMatch(status -> status.loaded());
            assertThat(server.camelContext().getRoutes()).extracting(r -> r.getRouteId())
                    .contains("mine", "manual.users").anyMatch(id -> id.startsWith("synced.")).noneMatch(id -> id.startsWith("other."));
            assertThat(server.syncNow("synced")).get().extracting(j -> j.status()).isEqualTo(dev.caravan.state.JobStatus.SUCCEEDED);
        }
        // the same home, started again as a one-shot run: the existing file of the other connection stays unloaded too
        try (CaravanServer server = CaravanServer.start(ServerSettings.load(oneShot))) {
            assertThat(server.routeFiles()).containsKeys("synced.yaml", "mine.yaml").doesNotContainKey("other.yaml");
        }
        try (CaravanServer server = CaravanServer.start(ServerSettings.load(Map.of(ServerSettings.HOME, home.toString(),
                ServerSettings.HTTP_ENABLED, "false", ServerSettings.JMX_ENABLED, "false")))) {
            assertThat(server.routeFiles()).containsKeys("synced.yaml", "other.yaml", "mine.yaml");
            assertThat(server.camelContext().getRoutes()).extracting(r -> r.getRouteId()).anyMatch(id -> id.startsWith("other."));
        }
    }

    @Test
    void aOneShotRunNamesTheConnectionsItSyncsAsTheOnlyOnesWhoseRoutesLoad() {
        ServeCommand syncing = new ServeCommand();
        new picocli.CommandLine(syncing).parseArgs("--sync", "a", "--sync", "b", "--exit");
        assertThat(syncing.overrides()).containsEntry(ServerSettings.ROUTES_ONLY_CONNECTIONS, "a,b")
                .containsEntry(ServerSettings.HTTP_ENABLED, "false");
        ServeCommand applying = new ServeCommand();
        new picocli.CommandLine(applying).parseArgs("--apply", "x.yaml", "--exit");
        assertThat(applying.overrides()).as("no --sync: every route loads, whatever the environment says")
                .containsEntry(ServerSettings.ROUTES_ONLY_CONNECTIONS, "");
        ServeCommand staying = new ServeCommand();
        new picocli.CommandLine(staying).parseArgs("--sync", "a");
        assertThat(staying.overrides()).as("a server that stays up").doesNotContainKey(ServerSettings.ROUTES_ONLY_CONNECTIONS);
    }

    /** A server that serves no /metrics (a one-shot run) times no exchanges: route metrics nobody can read cost every batch. */
    @Test
    void onlyAServerThatServesMetricsTimesItsRoutes(@TempDir Path home) {
        Map<String, String> base = Map.of(ServerSettings.HOME, home.toString(), ServerSettings.JMX_ENABLED, "false", ServerSettings.HTTP_PORT, "0");
        Map<String, String> withoutHttp = new java.util.HashMap<>(base);
        withoutHttp.put(ServerSettings.HTTP_ENABLED, "false");
        try (CaravanServer server = CaravanServer.start(ServerSettings.load(withoutHttp))) {
            assertThat(server.camelContext().getRoutePolicyFactories())
                    .noneMatch(f -> f instanceof org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory);
        }
        try (CaravanServer server = CaravanServer.start(ServerSettings.load(base))) {
            assertThat(server.camelContext().getRoutePolicyFactories())
                    .anyMatch(f -> f instanceof org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory);
        }
    }

    private static final String GHOST_FILE = "raw/ghost/data-001.parquet";
    private static final String GHOST_JOURNAL = "_airbyte_internal/state/ghost/publishing.json";

    /** A crash between publishing a file and committing its checkpoint: the journal names the file; no state was committed. */
    private static void leaveInterruptedPublish(Path lake) throws Exception {
        Files.createDirectories(lake.resolve(GHOST_FILE).getParent());
        Files.writeString(lake.resolve(GHOST_FILE), "rows never committed");
        Files.createDirectories(lake.resolve(GHOST_JOURNAL).getParent());
        Files.writeString(lake.resolve(GHOST_JOURNAL), """
                {"connection": "ghost", "stream": "ghost", "job": 7, "attempt": 1, "start": "{}", "files": ["%s"]}
                """.formatted(GHOST_FILE));
    }

    @Test
    void aBadDocumentExitsNonZeroWithTheProblem(@TempDir Path home) throws Exception {
        Path document = Files.writeString(home.resolve("bad.yaml"), "connections:\n  - name: x\n    source: nowhere\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = CaravanCli.execute("serve", "--home", home.toString(), "--apply", document.toString(), "--exit");
        } finally {
            System.setErr(original);
        }
        assertThat(exit).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("connections[0]").contains("nowhere");
    }
}
