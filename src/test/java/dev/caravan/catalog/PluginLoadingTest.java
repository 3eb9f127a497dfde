package dev.caravan.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.SourceConnector;
import dev.caravan.testing.TestingPluginJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins are jars (or folders of jars) compiled here against the SDK jar the build made, dropped into plugin folders and
 * loaded by the real catalog: isolation, two versions of one library side by side, the SDK version rule, broken plugins
 * reported and skipped, and plugins added while running.
 */
class PluginLoadingTest {
    private static final String LIBRARY = "org.example.lib.Greeting";
    /** Classes the connector tries to see: only the SDK and the JDK must be visible. */
    private static final List<String> PROBES = List.of("dev.caravan.spi.SourceConnector", "java.sql.Connection",
            "com.fasterxml.jackson.databind.ObjectMapper", "org.apache.camel.CamelContext", "dev.caravan.catalog.ConnectorCatalog",
            "dev.caravan.source.faker.FakerSource", "org.postgresql.Driver");

    @TempDir
    Path dir;

    @Test
    void twoPluginsWithTwoVersionsOfOneLibraryRunSideBySideAndSeeOnlyTheSdkAndTheJdk() throws Exception {
        Path plugins = dir.resolve("plugins");
        Path library1 = library("1.0", dir.resolve("build/greeting-1.0.jar"));
        Path library2 = library("2.0", dir.resolve("build/greeting-2.0.jar"));
        // alpha: a folder with the connector's jar and the library's jar beside it
        plugin("alpha", "\"greeting-\" + " + LIBRARY + ".version()", "1.0").compileAgainst(library1)
                .writeTo(plugins.resolve("alpha/alpha-connector.jar"));
        Files.copy(library1, plugins.resolve("alpha/greeting-1.0.jar"));
        // beta: one jar holding the connector and the other version of the library (same class name)
        TestingPluginJar beta = plugin("beta", "\"greeting-\" + " + LIBRARY + ".version()", "1.0").compileAgainst(library2);
        greetingSource("2.0").forEach(beta::source);
        beta.writeTo(plugins.resolve("beta.jar"));

        try (ConnectorCatalog catalog = ConnectorCatalog.load(List.of(plugins))) {
            assertThat(catalog.problems()).isEmpty();
            SourceConnector alpha = catalog.source("alpha").orElseThrow();
            SourceConnector beta2 = catalog.source("beta").orElseThrow();
            assertThat(streamName(alpha)).isEqualTo("greeting-1.0");
            assertThat(streamName(beta2)).isEqualTo("greeting-2.0");
            assertThat(catalog.definition("alpha").orElseThrow().implementation()).as("both plugins name their connector class alike")
                    .isEqualTo(catalog.definition("beta").orElseThrow().implementation()).isEqualTo("org.example.plugin.Conn");
            for (SourceConnector connector : List.of(alpha, beta2)) {
                assertThat(check(connector)).as("classes a plugin can see, the SDK's loader, the context loader during a call")
                        .isEqualTo("visible: dev.caravan.spi.SourceConnector java.sql.Connection; sdk from "
                                + SourceConnector.class.getClassLoader().getName() + "; context loader: the plugin's");
            }
            assertThat(Thread.currentThread().getContextClassLoader()).as("restored after the call").isSameAs(getClass().getClassLoader());
            assertThat(catalog.definition("alpha").orElseThrow().origin()).isEqualTo(plugins.resolve("alpha").toString());
            assertThat(catalog.definition("beta").orElseThrow().origin()).isEqualTo(plugins.resolve("beta.jar").toString());
            assertThat(catalog.definition("alpha").orElseThrow().version()).isEqualTo("3.1.4");
            assertThat(catalog.definition("faker").orElseThrow().origin()).isEqualTo(ConnectorDefinition.BUILT_IN);
        }
    }

    @Test
    void aConnectorBuiltForAnIncompatibleSdkIsRefusedWithTheReason() {
        Path plugins = dir.resolve("plugins");
        plugin("future-major", "\"s\"", "2.0").writeTo(plugins.resolve("future-major.jar"));
        plugin("future-minor", "\"s\"", "1.9").writeTo(plugins.resolve("future-minor.jar"));
        plugin("unquoted", "\"s\"", "1.0").resource("connector-catalog/unquoted/metadata.yaml", metadata("unquoted", "1.0", false))
                .writeTo(plugins.resolve("unquoted.jar"));
        try (ConnectorCatalog catalog = ConnectorCatalog.load(List.of(plugins))) {
            assertThat(catalog.all()).extracting(ConnectorDefinition::name).doesNotContain("future-major", "future-minor", "unquoted")
                    .contains("faker", "local");
            assertThat(problem(catalog, "future-major.jar")).contains("built for connector SDK 2.0, but this server implements SDK " + dev.caravan.spi.ConnectorSdk.VERSION,
                    "rebuild the connector against caravan-connector-sdk " + dev.caravan.spi.ConnectorSdk.VERSION);
            assertThat(problem(catalog, "future-minor.jar")).contains("built for connector SDK 1.9, newer than this server's SDK " + dev.caravan.spi.ConnectorSdk.VERSION,
                    "upgrade the server");
            assertThat(problem(catalog, "unquoted.jar")).contains("sdk_version must be quoted text, e.g. sdk_version: \"" + dev.caravan.spi.ConnectorSdk.VERSION + "\"");
        }
    }

    @Test
    void brokenPluginsAreReportedAndSkippedAndTheOthersLoad() throws Exception {
        Path plugins = dir.resolve("plugins");
        Files.createDirectories(plugins);
        Files.writeString(plugins.resolve("not-a-jar.jar"), "this is text");
        plugin("good", "\"s\"", "1.0").writeTo(plugins.resolve("good.jar"));
        plugin("missing-class", "\"s\"", "1.0").resource("META-INF/services/dev.caravan.spi.SourceConnector", "org.example.Nope\n")
                .writeTo(plugins.resolve("missing-class.jar"));
        TestingPluginJar noEntry = plugin("no-entry", "\"s\"", "1.0");
        noEntry.resource("connector-catalog/no-entry/metadata.yaml", "name: other\nkind: destination\nversion: 1.0.0\nsdk_version: \"1.0\"\nclass: x\n");
        noEntry.writeTo(plugins.resolve("no-entry.jar"));
        plugin("stale-spec", "\"s\"", "1.0").resource("connector-catalog/stale-spec/spec.json", "{\"title\": \"old\"}")
                .writeTo(plugins.resolve("stale-spec.jar"));
        plugin("faker", "\"s\"", "1.0").writeTo(plugins.resolve("faker-again.jar"));
        plugin("failing", "\"s\"", "1.0").source("org.example.plugin.Conn", connectorSource("failing", "\"s\"")
                .replace("public Conn() {", "public Conn() { if (true) throw new IllegalStateException(\"no licence key\");"))
                .writeTo(plugins.resolve("failing.jar"));

        try (ConnectorCatalog catalog = ConnectorCatalog.load(List.of(plugins))) {
            assertThat(catalog.source("good")).isPresent();
            assertThat(catalog.all()).extracting(ConnectorDefinition::name).doesNotContain("missing-class", "no-entry", "stale-spec", "failing");
            assertThat(catalog.definition("faker").orElseThrow().origin()).as("a plugin cannot replace a connector").isEqualTo(ConnectorDefinition.BUILT_IN);
            assertThat(problem(catalog, "not-a-jar.jar")).contains("no connector found");
            assertThat(problem(catalog, "missing-class.jar")).contains("org.example.Nope");
            assertThat(problem(catalog, "no-entry.jar")).contains("name 'other' differs", "kind 'destination' differs", "unknown key 'class'");
            assertThat(problem(catalog, "stale-spec.jar")).contains("spec.json differs from the options the connector declares");
            assertThat(problem(catalog, "faker-again.jar")).contains("connector 'faker' is already provided by built-in");
            assertThat(problem(catalog, "failing.jar")).contains("cannot be created", "no licence key");
        }
    }

    @Test
    void aPluginDroppedIntoARunningCatalogJoinsItOnceItsFilesSettle() throws Exception {
        Path plugins = dir.resolve("plugins");
        Files.createDirectories(plugins);
        try (ConnectorCatalog catalog = ConnectorCatalog.load(List.of(plugins))) {
            assertThat(catalog.source("late")).isEmpty();
            Path built = plugin("late", "\"s\"", "1.0").writeTo(dir.resolve("build/late.jar"));
            Files.copy(built, plugins.resolve("late.jar"));
            assertThat(catalog.scan()).as("first seen: it may still be being copied").isEmpty();
            assertThat(catalog.scan()).extracting(ConnectorDefinition::name).containsExactly("late");
            assertThat(catalog.source("late")).isPresent();
            assertThat(catalog.scan()).isEmpty();

            // a broken plugin is reported, and tried again once its files change
            Files.copy(plugin("later", "\"s\"", "2.0").writeTo(dir.resolve("build/later.jar")), plugins.resolve("later.jar"));
            catalog.scan();
            catalog.scan();
            assertThat(problem(catalog, "later.jar")).contains("built for connector SDK 2.0");
            Files.move(plugin("later", "\"s\"", "1.0").writeTo(dir.resolve("build/later-fixed.jar")), plugins.resolve("later.jar"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(plugins.resolve("later.jar"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            catalog.scan();
            assertThat(catalog.scan()).extracting(ConnectorDefinition::name).containsExactly("later");
            assertThat(catalog.problems()).isEmpty();

            // a broken plugin that is removed is no longer reported; a loaded one that is removed stays until a restart
            Files.writeString(plugins.resolve("junk.jar"), "junk");
            catalog.scan();
            catalog.scan();
            assertThat(problem(catalog, "junk.jar")).contains("no connector found");
            Files.delete(plugins.resolve("junk.jar"));
            Files.delete(plugins.resolve("late.jar"));
            catalog.scan();
            assertThat(catalog.problems()).isEmpty();
            assertThat(catalog.source("late")).isPresent();
        }
    }

    private static String streamName(SourceConnector connector) {
        return connector.discover(connector.spec().validate(Map.of(), "config.")).streamNames().get(0);
    }

    private static String check(SourceConnector connector) {
        return connector.check(connector.spec().validate(Map.of(), "config.")).message();
    }

    private static String problem(ConnectorCatalog catalog, String plugin) {
        return catalog.problems().stream().filter(p -> p.origin().endsWith(plugin)).map(CatalogProblem::message).findFirst()
                .orElseThrow(() -> new AssertionError("no problem reported for " + plugin + ": " + catalog.problems()));
    }

    /** A plugin with one source connector {@code name} whose only stream is named by the Java expression {@code streamName}. */
    private static TestingPluginJar plugin(String name, String streamName, String sdkVersion) {
        return new TestingPluginJar()
                .source("org.example.plugin.Conn", connectorSource(name, streamName))
                .resource("META-INF/services/dev.caravan.spi.SourceConnector", "org.example.plugin.Conn\n")
                .resource("connector-catalog/" + name + "/metadata.yaml", metadata(name, sdkVersion, true))
                .resource("connector-catalog/" + name + "/spec.json",
                        SpecJsonSchema.renderText(new ConnectorSpec(name, ConnectorSpec.ConnectorKind.SOURCE, "Test plugin " + name, List.of())));
    }

    private static String metadata(String name, String sdkVersion, boolean quoted) {
        String sdk = quoted ? "\"" + sdkVersion + "\"" : sdkVersion;
        return "name: " + name + "\nkind: source\nversion: 3.1.4\nsdk_version: " + sdk + "\ntitle: Test plugin " + name + "\n";
    }

    private static String connectorSource(String name, String streamName) {
        String probes = String.join("\", \"", PROBES);
        return """
                package org.example.plugin;

                import dev.caravan.spi.*;
                import java.util.List;

                public final class Conn implements SourceConnector {
                    public Conn() {
                    }

                    public ConnectorSpec spec() {
                        return new ConnectorSpec("%s", ConnectorSpec.ConnectorKind.SOURCE, "Test plugin %s", List.of());
                    }

                    public CheckResult check(ConnectorConfig config) {
                        StringBuilder visible = new StringBuilder("visible:");
                        for (String name : List.of("%s")) {
                            try {
                                Class.forName(name, false, Conn.class.getClassLoader());
                                visible.append(' ').append(name);
                            } catch (ClassNotFoundException e) {
                                // not visible to the plugin
                            }
                        }
                        visible.append("; sdk from ").append(SourceConnector.class.getClassLoader().getName());
                        visible.append("; context loader: ").append(Thread.currentThread().getContextClassLoader() == Conn.class.getClassLoader()
                                ? "the plugin's" : String.valueOf(Thread.currentThread().getContextClassLoader()));
                        return new CheckResult(true, visible.toString());
                    }

                    public Catalog discover(ConnectorConfig config) {
                        Schema schema = new Schema(List.of(Field.required("id", FieldType.INT64)));
                        return new Catalog(List.of(new CatalogStream(%s, schema, List.of(SyncMode.FULL_REFRESH_OVERWRITE), List.of(), List.of(), null)));
                    }

                    public StreamReader read(ConnectorConfig config, ReadRequest request) {
                        throw new UnsupportedOperationException("not read in this test");
                    }
                }
                """.formatted(name, name, probes, streamName);
    }

    private static Map<String, String> greetingSource(String version) {
        return Map.of(LIBRARY, """
                package org.example.lib;

                public final class Greeting {
                    public static String version() {
                        return "%s";
                    }
                }
                """.formatted(version));
    }

    private static Path library(String version, Path jar) {
        TestingPluginJar library = new TestingPluginJar();
        greetingSource(version).forEach(library::source);
        return library.writeTo(jar);
    }
}
