package dev.caravan.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.ConnectorSdk;
import dev.caravan.testing.TestingPluginJar;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The SDK jar the build makes holds the SDK package only and needs nothing but the JDK; its types and contracts carry Javadoc. */
class ConnectorSdkJarTest {

    @Test
    void theSdkJarHoldsTheSpiPackageOnlyAndDependsOnTheJdkAlone() throws Exception {
        Path jar = TestingPluginJar.sdkJar();
        List<String> classes;
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> entries = file.stream().map(ZipEntry::getName).filter(n -> !n.endsWith("/")).toList();
            assertThat(entries).allMatch(n -> n.startsWith("dev/caravan/spi/") || n.startsWith("META-INF/"), "only the SDK package");
            assertThat(entries).contains("dev/caravan/spi/SourceConnector.class", "dev/caravan/spi/DestinationConnector.class",
                    "dev/caravan/spi/ConnectorSdk.class", "dev/caravan/spi/SecretRegistry.class");
            classes = entries.stream().filter(n -> n.endsWith(".class")).map(n -> n.replace('/', '.').replace(".class", "")).toList();
        }
        // jdeps reads every class's references, method bodies included
        StringWriter out = new StringWriter();
        int exit = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out), "--print-module-deps", jar.toString());
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString().strip().split(",")).allMatch(module -> module.startsWith("java."), "JDK modules only: " + out);
        // and every class links on the JDK alone
        try (URLClassLoader alone = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (String name : classes) {
                Class<?> type = Class.forName(name, true, alone);
                type.getDeclaredMethods();
                type.getDeclaredFields();
            }
            assertThat(alone.loadClass(ConnectorSdk.class.getName()).getField("VERSION").get(null)).isEqualTo(ConnectorSdk.VERSION);
        }
    }

    @Test
    void everySdkTypeAndEveryContractMethodHasJavadoc() throws Exception {
        Path sources = Path.of("components/src/main/java/dev/caravan/spi");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java")).toList()) {
                List<String> lines = java.nio.file.Files.readAllLines(file);
                boolean contract = List.of("SourceConnector.java", "DestinationConnector.java", "StreamReader.java", "StreamWriter.java")
                        .contains(file.getFileName().toString());
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    boolean type = line.matches("public (final |abstract )?(class|interface|record|enum) .*");
                    boolean method = contract && lines.get(i).startsWith("    ") && !lines.get(i).startsWith("     ")
                            && line.matches("(default )?[A-Za-z<>., ]+ [a-zA-Z]+\\(.*") && !line.startsWith("return");
                    if (type || method) {
                        int previous = i - 1;
                        while (previous >= 0 && lines.get(previous).strip().startsWith("@")) {
                            previous--;
                        }
                        boolean overrides = previous < i - 1 && lines.get(i - 1).strip().equals("@Override");
                        assertThat(overrides || previous >= 0 && lines.get(previous).strip().endsWith("*/"))
                                .as("Javadoc on %s:%d %s", file.getFileName(), i + 1, line).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theSdkVersionRuleAcceptsTheSameMajorUpToTheServersMinor() {
        assertThat(SdkVersions.incompatibility("1.0", "1.2")).isEmpty();
        assertThat(SdkVersions.incompatibility("1.2", "1.2")).isEmpty();
        assertThat(SdkVersions.incompatibility("1.3", "1.2")).hasValueSatisfying(m -> assertThat(m).contains("newer than this server's SDK 1.2"));
        assertThat(SdkVersions.incompatibility("2.0", "1.2")).hasValueSatisfying(m -> assertThat(m).contains("different major version"));
        assertThat(SdkVersions.incompatibility("0.9", "1.2")).hasValueSatisfying(m -> assertThat(m).contains("rebuild the connector"));
        assertThat(SdkVersions.incompatibility("1", "1.2")).hasValueSatisfying(m -> assertThat(m).contains("is not MAJOR.MINOR"));
        assertThat(SdkVersions.incompatibility("1.0.0", "1.2")).hasValueSatisfying(m -> assertThat(m).contains("is not MAJOR.MINOR"));
        assertThat(Modifier.isFinal(ConnectorSdk.class.getModifiers())).isTrue();
    }
}
