package dev.caravan.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-a-connector path, as an author walks it: examples/connector-template is built with Maven in a subprocess
 * against the SDK this build installed (offline, on the local repository of the running build), its jar is dropped into
 * the plugin folder of a running server (the packaged jar, a separate process), a connection using it is applied through
 * the API, synced, and the Parquet files are read back with DuckDB.
 */
class ConnectorTemplateIT {
    private static final String JAR = "example-sequence-connector-1.0.0.jar";
    private static final int ROWS = 2_500;

    @TempDir
    Path work;

    @Test
    void theTemplateBuildsAgainstTheSdkAndItsJarDroppedIntoARunningServerSyncsToParquet() throws Exception {
        Path project = copyTemplate(work.resolve("connector-template"));
        build(project);
        Path jar = project.resolve("target").resolve(JAR);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.stream().map(java.util.zip.ZipEntry::getName))
                    .as("the plugin jar carries its code and catalog entry, not the SDK (the server provides it)")
                    .contains("com/example/caravan/sequence/SequenceSource.class", "META-INF/services/dev.caravan.spi.SourceConnector",
                            "connector-catalog/example-sequence/metadata.yaml", "connector-catalog/example-sequence/spec.json")
                    .noneMatch(name -> name.startsWith("dev/caravan/"));
        }

        Path home = work.resolve("home");
        Files.createDirectories(home);
        try (TestingProcess server = new TestingProcess(home, null); ParquetQuery duck = new ParquetQuery()) {
            HttpJson api = new HttpJson(server.apiUrl());
            assertThat(api.get("/connectors").json().get("connectors").findValuesAsText("name")).doesNotContain("example-sequence");

            // a broken plugin is reported and skipped; the server keeps serving
            Path plugins = home.resolve("plugins");
            Files.writeString(plugins.resolve("broken.jar"), "not a jar");
            JsonNode problem = awaitProblem(api, plugins.resolve("broken.jar").toString());
            assertThat(problem.get("message").asText()).contains("no connector found");

            // dropped as an author would: copied under a hidden name, then renamed (a half-copied jar is never read)
            Path partial = plugins.resolve(".copying-" + JAR);
            Files.copy(jar, partial);
            Files.move(partial, plugins.resolve(JAR), StandardCopyOption.ATOMIC_MOVE);
            JsonNode connector = awaitConnector(api, "example-sequence");
            assertThat(connector.get("kind").asText()).isEqualTo("source");
            assertThat(connector.get("version").asText()).isEqualTo("1.0.0");
            assertThat(connector.get("sdk_version").asText()).isEqualTo("1.0");
            assertThat(connector.get("origin").asText()).isEqualTo(plugins.resolve(JAR).toString());
            assertThat(server.output()).anyMatch(line -> line.contains("Plugin " + plugins.resolve(JAR) + " loaded"));

            HttpJson.Response applied = api.postYaml("/apply", """
                    sources: [{name: numbers, connector: example-sequence, config: {count: %d, label_prefix: "no."}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - name: tpl
                        source: numbers
                        destination: lake
                        namespace: tpl
                        streams: [{name: numbers, sync_mode: incremental_append, cursor_field: id, primary_key: [id]}]
                    """.formatted(ROWS, home.resolve("lake")));
            assertThat(applied.status()).as(applied.text()).isEqualTo(200);
            JsonNode job = sync(api);
            assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.get("records").asLong()).isEqualTo(ROWS);
            assertThat(job.at("/streams/0/end_state/id").asLong()).isEqualTo(ROWS);
            assertThat(job.at("/streams/0/connectors").asText()).as("the job records the plugin's version")
                    .isEqualTo("example-sequence 1.0.0 -> local 0.1.0");

            String files = ParquetQuery.files(home.resolve("lake/raw/tpl/numbers"));
            assertThat(duck.count("SELECT count(*) FROM " + files)).isEqualTo(ROWS);
            assertThat(duck.count("SELECT count(DISTINCT id) FROM " + files)).isEqualTo(ROWS);
            assertThat(duck.count("SELECT sum(square) FROM " + files)).isEqualTo((long) ROWS * (ROWS + 1) * (2L * ROWS + 1) / 6);
            assertThat(duck.rows("SELECT label FROM " + files + " WHERE id = 7")).singleElement()
                    .satisfies(row -> assertThat(row.get("label")).isEqualTo("no.7"));

            JsonNode again = sync(api);
            assertThat(again.get("status").asText()).isEqualTo("succeeded");
            assertThat(again.get("records").asLong()).as("the plugin resumes from the state it committed").isZero();
            assertThat(duck.count("SELECT count(*) FROM " + files)).isEqualTo(ROWS);
        }
    }

    private static JsonNode sync(HttpJson api) {
        HttpJson.Response job = api.post("/connections/sync", "{\"connection\":\"tpl\",\"wait\":true,\"timeout_seconds\":120}");
        assertThat(job.status()).as(job.text()).isEqualTo(200);
        return job.json();
    }

    private static JsonNode awaitProblem(HttpJson api, String origin) throws InterruptedException {
        return awaitListing(api, "problems", "origin", origin);
    }

    private static JsonNode awaitConnector(HttpJson api, String name) throws InterruptedException {
        return awaitListing(api, "connectors", "name", name);
    }

    /** The entry of {@code GET /connectors}' {@code section} whose {@code key} is {@code value}, once it is there (30 s at most). */
    private static JsonNode awaitListing(HttpJson api, String section, String key, String value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode listing = api.get("/connectors").json();
            for (JsonNode entry : listing.get(section)) {
                if (entry.get(key).asText().equals(value)) {
                    return entry;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(section + " has no " + key + " " + value + " within 30 s: " + listing);
            }
            Thread.sleep(200);
        }
    }

    /** The template's sources (not a target/ folder an author may have left), so the build below starts clean. */
    private static Path copyTemplate(Path into) throws IOException {
        Path template = Path.of("examples/connector-template");
        try (Stream<Path> files = Files.walk(template)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = template.relativize(file);
                if (!relative.startsWith("target")) {
                    Files.createDirectories(into.resolve(relative).getParent());
                    Files.copy(file, into.resolve(relative));
                }
            }
        }
        return into;
    }

    /**
     * {@code mvn package} of the template, offline, on the running build's local repository: the SDK comes from there (the
     * build installed it before the integration tests) and so do the Maven plugins, which the template pins to the versions
     * Caravan's build uses.
     */
    private static void build(Path project) throws Exception {
        String mavenHome = System.getProperty("maven.home");
        String mvn = mavenHome == null ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-o", "-q"));
        String repository = System.getProperty("maven.repo.local");
        if (repository != null) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        command.add("-Dcaravan.version=" + System.getProperty("caravan.version", "0.1.0-SNAPSHOT"));
        command.add("package");
        Path log = project.resolve("build.log");
        Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the template build took over 120 s: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        assertThat(process.exitValue()).as("%s:%n%s", String.join(" ", command), Files.readString(log, StandardCharsets.UTF_8)).isZero();
    }
}
