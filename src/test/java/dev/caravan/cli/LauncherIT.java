package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's launch command, {@code java -jar caravan.jar serve}, with no JVM flags: the launcher runs the server in a
 * child JVM with a bounded heap and the parallel collector, writes a class-data-sharing archive on the first run and
 * starts from it afterwards, and a killed launcher takes its server with it.
 */
class LauncherIT {
    private static final String JAR = System.getProperty("caravan.jar", "target/caravan.jar");

    @Test
    void aServeWithoutFlagsRunsWithTheDefaultsAndLaterRunsStartFromTheArchive(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path home = dir.resolve("home");
        Path document = demo(dir);

        String first = oneShot(tmp, home, document);
        // the launcher's collector for this machine: serial (Copy/MarkSweepCompact) on 2 cores or fewer, else parallel
        String collectors = Runtime.getRuntime().availableProcessors() <= 2 ? "collectors Copy/MarkSweepCompact" : "collectors PS MarkSweep/PS Scavenge";
        assertThat(first).contains("Job 1 of demo: SUCCEEDED").contains("max heap 30").contains(collectors)
                .contains("writing one at exit").contains("HTTP is off");
        Path archive = archiveIn(tmp).orElseThrow(() -> new AssertionError("no archive was written: " + first));
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);

        String second = oneShot(tmp, home, document, "-Dcaravan.log.level=DEBUG");
        assertThat(second).contains("Job 2 of demo: SUCCEEDED").contains("class-data sharing archive " + archive).doesNotContain("writing one at exit")
                .containsPattern("Start phases: launcher [0-9]+ ms, JVM start and command line [0-9]+ ms, connector catalog");
    }

    @Test
    void aHeapGivenOnTheCommandLineRunsInOneJvmWithIt(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String output = run(List.of(java(), "-Xmx200m", "-Djava.io.tmpdir=" + tmp, "-jar", JAR, "serve", "--home", dir.resolve("home").toString(),
                "--apply", demo(dir).toString(), "--sync", "demo", "--exit"));
        assertThat(output).contains("Job 1 of demo: SUCCEEDED").containsPattern("max heap (1[89][0-9]|200) MB").doesNotContain("writing one at exit");
        assertThat(archiveIn(tmp)).isEmpty();
    }

    @Test
    void killingTheLauncherStopsTheServer(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path log = dir.resolve("server.log");
        Process launcher = new ProcessBuilder(java(), "-Djava.io.tmpdir=" + tmp, "-Dcaravan.http.port=0", "-jar", JAR, "serve", "--home",
                dir.resolve("home").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!Files.readString(log, StandardCharsets.UTF_8).contains("Caravan is running")) {
                assertThat(System.nanoTime()).as("server start; output: %s", Files.readString(log)).isLessThan(deadline);
                assertThat(launcher.isAlive()).as("launcher alive; output: %s", Files.readString(log)).isTrue();
                Thread.sleep(200);
            }
            List<ProcessHandle> servers = launcher.children().toList();
            assertThat(servers).as("the server runs in a child JVM").hasSize(1);
            ProcessHandle server = servers.get(0);
            assertThat(server.info().arguments().map(List::of).orElse(List.of())).contains("-Xmx" + CaravanLauncher.DEFAULT_HEAP,
                    CaravanLauncher.collector(Runtime.getRuntime().availableProcessors()));

            launcher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            server.onExit().get(10, TimeUnit.SECONDS);
            assertThat(server.isAlive()).as("the server goes with its killed launcher").isFalse();
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    private static String oneShot(Path tmp, Path home, Path document, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(java(), "-Djava.io.tmpdir=" + tmp));
        command.addAll(List.of(options));
        command.addAll(List.of("-jar", JAR, "serve", "--home", home.toString(), "--apply", document.toString(), "--sync", "demo", "--exit"));
        return run(command);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    private static Path demo(Path dir) throws IOException {
        String demo = Files.readString(Path.of("docs/examples/demo.yaml")).replace("path: ./lake", "path: \"" + dir.resolve("lake") + "\"");
        return Files.writeString(dir.resolve("demo.yaml"), demo);
    }

    private static Optional<Path> archiveIn(Path tmp) throws IOException {
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).findFirst();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
