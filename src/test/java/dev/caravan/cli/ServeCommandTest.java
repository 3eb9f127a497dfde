package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.ServerSettings;
import dev.caravan.testing.ParquetQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
