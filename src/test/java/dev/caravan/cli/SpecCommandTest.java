package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.catalog.SpecJsonSchema;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.testing.TestingPluginJar;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan spec}: the catalog with each connector's SDK version and origin, broken plugins on stderr, and --render. */
class SpecCommandTest {
    @TempDir
    Path home;

    @Test
    void listsBuiltInsAndPluginsWithTheirOriginAndReportsBrokenPlugins() {
        Path good = plugin("cli-good", true).writeTo(home.resolve("plugins/cli-good.jar"));
        plugin("cli-unpublished", false).writeTo(home.resolve("plugins/cli-unpublished.jar"));
        CliRun list = CliRun.of("spec", "--home", home.toString());
        assertThat(list.exit()).isZero();
        assertThat(list.out()).containsPattern("faker +source +0\\.1\\.0 +" + dev.caravan.spi.ConnectorSdk.VERSION.replace(".", "\\.") + " +Sample data \\(faker\\) +built-in")
                .containsPattern("cli-good +source +2\\.0\\.0 +1\\.0 +CLI test plugin +" + java.util.regex.Pattern.quote(good.toString()))
                .doesNotContainPattern("(?m)^cli-unpublished ");
        assertThat(list.err()).contains("not loaded: " + home.resolve("plugins/cli-unpublished.jar"), "spec.json is missing",
                "caravan spec --render");

        CliRun render = CliRun.of("spec", "--render", home.resolve("plugins/cli-unpublished.jar").toString());
        assertThat(render.exit()).isZero();
        assertThat(render.out()).isEqualTo(SpecJsonSchema.renderText(spec("cli-unpublished")));
        CliRun missing = CliRun.of("spec", "--render", home.resolve("nothing-here").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("is neither a .jar file nor a folder holding .jar files");
    }

    private static ConnectorSpec spec(String name) {
        return new ConnectorSpec(name, ConnectorSpec.ConnectorKind.SOURCE, "CLI test plugin", List.of());
    }

    private static TestingPluginJar plugin(String name, boolean withSpec) {
        TestingPluginJar jar = new TestingPluginJar().source("org.example.cli.Conn", """
                        package org.example.cli;

                        import dev.caravan.spi.*;
                        import java.util.List;

                        public final class Conn implements SourceConnector {
                            public ConnectorSpec spec() {
                                return new ConnectorSpec("%s", ConnectorSpec.ConnectorKind.SOURCE, "CLI test plugin", List.of());
                            }

                            public CheckResult check(ConnectorConfig config) {
                                return CheckResult.ok();
                            }

                            public Catalog discover(ConnectorConfig config) {
                                return new Catalog(List.of());
                            }

                            public StreamReader read(ConnectorConfig config, ReadRequest request) {
                                throw new UnsupportedOperationException();
                            }
                        }
                        """.formatted(name))
                .resource("META-INF/services/dev.caravan.spi.SourceConnector", "org.example.cli.Conn\n")
                .resource("connector-catalog/" + name + "/metadata.yaml",
                        "name: " + name + "\nkind: source\nversion: 2.0.0\nsdk_version: \"1.0\"\ntitle: CLI test plugin\n");
        return withSpec ? jar.resource("connector-catalog/" + name + "/spec.json", SpecJsonSchema.renderText(spec(name))) : jar;
    }
}
