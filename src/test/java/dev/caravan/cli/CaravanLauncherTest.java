package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the launcher starts a child JVM, and with what (the child itself is run by LauncherIT). */
class CaravanLauncherTest {
    private static final Path JAR = Path.of("/opt/caravan/caravan.jar");

    @Test
    void onlyServeWithoutAHeapSizeIsRelaunched() {
        assertThat(CaravanLauncher.shouldRelaunch(new String[] {"serve"}, List.of(), Map.of(), JAR)).isTrue();
        assertThat(CaravanLauncher.shouldRelaunch(new String[] {"serve"}, List.of("-Dcaravan.http.port=9000"), Map.of(), JAR)).isTrue();
        assertThat(CaravanLauncher.shouldRelaunch(new String[] {"sync", "demo"}, List.of(), Map.of(), JAR)).as("client commands").isFalse();
        assertThat(CaravanLauncher.shouldRelaunch(new String[] {}, List.of(), Map.of(), JAR)).isFalse();
        assertThat(CaravanLauncher.shouldRelaunch(new String[] {"serve"}, List.of(), Map.of(), null)).as("not run from the jar").isFalse();
        for (String heap : List.of("-Xmx1g", "-XX:MaxRAMPercentage=50", "-XX:MaxHeapSize=1g", "-XX:MaxRAM=2g")) {
            assertThat(CaravanLauncher.shouldRelaunch(new String[] {"serve"}, List.of(heap), Map.of(), JAR)).as(heap).isFalse();
        }
        assertThat(CaravanLauncher.shouldRelaunch(new String[] {"serve"}, List.of(), Map.of("JAVA_TOOL_OPTIONS", "-Xmx2g"), JAR)).isFalse();
        assertThat(CaravanLauncher.shouldRelaunch(new String[] {"serve"}, List.of(), Map.of("JDK_JAVA_OPTIONS", " -Xmx2g "), JAR)).isFalse();
        assertThat(CaravanLauncher.shouldRelaunch(new String[] {"serve"}, List.of(), Map.of("CARAVAN_LAUNCHER", "off"), JAR)).isFalse();
    }

    @Test
    void theChildGetsTheDefaultsThenWhatTheUserGave() {
        List<String> command = CaravanLauncher.childCommand(Path.of("/jdk"), JAR, new String[] {"serve", "--exit"}, List.of("-Dx=1"), Map.of(), null, 8);
        assertThat(command).startsWith("/jdk/bin/java", "-Xmx" + CaravanLauncher.DEFAULT_HEAP, "-XX:+UseParallelGC", "-Dx=1")
                .endsWith("-cp", JAR.toString(), CaravanLauncher.class.getName(), "serve", "--exit");
        // on two cores the serial collector: no collection threads competing with the copy's two
        // and methods compiled after more calls: the JIT's threads compete with them too
        assertThat(CaravanLauncher.childCommand(Path.of("/jdk"), JAR, new String[] {"serve"}, List.of(), Map.of(), null, 2))
                .contains("-XX:+UseSerialGC", CaravanLauncher.FEW_CORES_COMPILATION).doesNotContain("-XX:+UseParallelGC");
        assertThat(command).doesNotContain(CaravanLauncher.FEW_CORES_COMPILATION);
        for (String own : List.of("-XX:CompileThresholdScaling=1", "-XX:TieredStopAtLevel=1", "-Xint")) {
            assertThat(CaravanLauncher.childCommand(Path.of("/jdk"), JAR, new String[] {"serve"}, List.of(), Map.of("CARAVAN_JAVA_OPTS", own), null, 2))
                    .as(own).contains(own).doesNotContain(CaravanLauncher.FEW_CORES_COMPILATION);
        }

        List<String> tuned = CaravanLauncher.childCommand(Path.of("/jdk"), JAR, new String[] {"serve"}, List.of("-XX:+UseG1GC"),
                Map.of("CARAVAN_HEAP", "2g", "CARAVAN_JAVA_OPTS", "-Xss512k -Dy=2"), null, 2);
        assertThat(tuned).contains("-Xmx2g", "-XX:+UseG1GC", "-Xss512k", "-Dy=2")
                .doesNotContain("-XX:+UseParallelGC", "-XX:+UseSerialGC", "-Xmx" + CaravanLauncher.DEFAULT_HEAP);
    }

    @Test
    void theArchiveIsWrittenBesideItsFinalNameThenUsed() throws Exception {
        Path jar = java.nio.file.Files.createTempFile("caravan", ".jar");
        try {
            CaravanLauncher.CdsArchive first = CaravanLauncher.CdsArchive.of(jar, Path.of("/jdk"), "17");
            assertThat(first.options()).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=") && o.endsWith(".writing"));
            java.nio.file.Files.writeString(first.writing(), "archive");
            first.publish();
            CaravanLauncher.CdsArchive next = CaravanLauncher.CdsArchive.of(jar, Path.of("/jdk"), "17");
            assertThat(next.options()).contains("-XX:SharedArchiveFile=" + first.archive());
            assertThat(CaravanLauncher.CdsArchive.of(jar, Path.of("/jdk"), "21").archive()).as("another JVM, another archive").isNotEqualTo(first.archive());
            java.nio.file.Files.delete(first.archive());
        } finally {
            java.nio.file.Files.delete(jar);
        }
    }
}
