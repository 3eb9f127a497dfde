package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a running server over its REST API, as a user runs them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {
    @TempDir
    static Path home;
    private static TestingServer server;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() {
        server = new TestingServer(home);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Run caravan(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.apiUrl();
        CliRun run = CliRun.of(all);
        return new Run(run.exit(), run.out(), run.err());
    }

    @Test
    @Order(1)
    void applyingADirectoryThenExportingIsAStableRoundTrip() throws Exception {
        Path dir = Files.createDirectories(home.resolve("config"));
        Files.writeString(dir.resolve("1-ends.yaml"), """
                sources:
                  - {name: shop, connector: faker, config: {count: 30, seed: 3}}
                destinations:
                  - {name: lake, connector: local, config: {path: "%s"}}
                """.formatted(home.resolve("lake")));
        Files.writeString(dir.resolve("2-connections.yml"), """
                connections:
                  - name: shop-users
                    source: shop
                    destination: lake
                    schedule: {cron: "0 0 3 * * ?", timezone: Europe/Berlin}
                    streams:
                      - {name: users, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}
                """);
        Run dryRun = caravan("apply", "-f", dir.toString(), "--dry-run");
        assertThat(dryRun.exit()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("+ source      shop").contains("create (dry run)");
        assertThat(server.routes().resolve("shop-users.yaml")).doesNotExist();

        Run applied = caravan("apply", "-f", dir.toString());
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("+ connection  shop-users");
        assertThat(server.routes().resolve("shop-users.yaml")).exists();

        Run export = caravan("export");
        assertThat(export.exit()).isZero();
        Path exported = home.resolve("exported.yaml");
        Files.writeString(exported, export.out());
        Run again = caravan("apply", "-f", exported.toString(), "--dry-run");
        assertThat(again.out()).doesNotContain("+").doesNotContain("~").contains("= connection  shop-users");
        assertThat(caravan("apply", "-f", exported.toString()).exit()).isZero();
        assertThat(caravan("export").out()).as("export → apply → export is stable").isEqualTo(export.out());
        assertThat(caravan("export", "--connection", "shop-users", "-o", home.resolve("one.yaml").toString()).exit()).isZero();
        assertThat(Files.readString(home.resolve("one.yaml"))).contains("shop-users").contains("0 0 3 * * ?").contains("Europe/Berlin");
    }

    @Test
    @Order(2)
    void syncWaitCheckDiscoverAndJobs() {
        Run sync = caravan("sync", "shop-users", "--wait");
        assertThat(sync.exit()).as(sync.out() + sync.err()).isZero();
        assertThat(sync.out()).contains("succeeded").contains("30 records");
        Run check = caravan("check", "shop");
        assertThat(check.out()).startsWith("succeeded");
        assertThat(caravan("check", "lake", "--destination").exit()).isZero();
        Run discover = caravan("discover", "shop");
        assertThat(discover.out()).contains("users  (primary key [\"id\"]").contains("updated_at").contains("timestamp_tz");
        Run jobs = caravan("jobs", "shop-users");
        assertThat(jobs.out()).contains("succeeded").contains("api");
        Run all = caravan("jobs", "--status", "succeeded");
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out().lines().skip(1)).isNotEmpty().allSatisfy(line -> assertThat(line).contains("shop-users").contains("succeeded"));
        Run none = caravan("jobs", "--status", "failed");
        assertThat(none.out().lines().count()).as("only the header").isEqualTo(1);
    }

    @Test
    @Order(3)
    void failuresExitNonZeroWithTheMessage() throws Exception {
        Run unknown = caravan("sync", "nope");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("connection 'nope' does not exist");
        Path bad = Files.writeString(home.resolve("bad.yaml"), "connections:\n  - {name: x, source: ghost, destination: lake, streams: [{name: users}]}\n");
        Run invalid = caravan("apply", "-f", bad.toString());
        assertThat(invalid.exit()).isNotZero();
        assertThat(invalid.err()).contains("connections[0].source").contains("ghost");
        Path half = Files.writeString(home.resolve("half.yaml"), """
                connections:
                  - {name: x, source: ghost, destination: lake, streams: [{name: users}]}
                  - {name: half-ok, source: shop, destination: lake, namespace: half, streams: [{name: users}]}
                """);
        Run atomic = caravan("apply", "-f", half.toString(), "--atomic");
        assertThat(atomic.exit()).isNotZero();
        assertThat(caravan("export").out()).as("--atomic applied nothing").doesNotContain("half-ok");
        Run partial = caravan("apply", "-f", half.toString());
        assertThat(partial.exit()).as("something was left out").isEqualTo(1);
        assertThat(partial.out()).contains("+ connection  half-ok").contains("! not applied: connections[0].source: 'ghost'");
        assertThat(caravan("export").out()).contains("half-ok");
        Run missingFile = caravan("apply", "-f", home.resolve("nothing.yaml").toString());
        assertThat(missingFile.err()).contains("does not exist");
        Run unreachable = run("jobs", "x", "--server", "http://127.0.0.1:1");
        assertThat(unreachable.exit()).isNotZero();
        assertThat(unreachable.err()).contains("Cannot reach the Caravan server at http://127.0.0.1:1/api/v1");
    }

    private static Run run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return new Run(CaravanCli.execute(args), "", e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }
}
