package dev.caravan.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.ConnectorSdk;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.SourceConnector;
import dev.caravan.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * connector-catalog/<name>/spec.json is generated from the options each connector declares; this keeps the published
 * file and the code in step (regenerate: -Dcaravan.golden.update=true).
 */
class SpecGoldenTest {

    @Test
    void everyConnectorsPublishedSpecMatchesItsCode() {
        // From the code directly, not through the catalog: this test is what keeps a built-in connector's spec.json true
        // (the catalog checks only plugins' at load, and refuses a stale one), and
        // regenerating (-Dcaravan.golden.update=true) must still reach it.
        List<ConnectorSpec> specs = new ArrayList<>();
        ServiceLoader.load(SourceConnector.class).forEach(c -> specs.add(c.spec()));
        ServiceLoader.load(DestinationConnector.class).forEach(c -> specs.add(c.spec()));
        assertThat(specs).extracting(ConnectorSpec::name).contains("faker", "postgres", "mysql", "jdbc", "local", "s3");
        for (ConnectorSpec spec : specs) {
            // Test-only connectors (src/test/resources/connector-catalog) keep their golden spec beside their metadata.
            Path folder = Path.of("connector-catalog", spec.name());
            Path golden = (Files.isDirectory(folder) ? folder : Path.of("src/test/resources/connector-catalog", spec.name())).resolve("spec.json");
            Golden.assertMatches(golden, SpecJsonSchema.renderText(spec));
        }
    }

    @Test
    void everyBuiltInConnectorLoadsWithoutProblems() {
        ConnectorCatalog catalog = ConnectorCatalog.load();
        assertThat(catalog.problems()).isEmpty();
        assertThat(catalog.all()).extracting(ConnectorDefinition::name).contains("faker", "postgres", "mysql", "jdbc", "local", "s3");
        assertThat(catalog.all()).allSatisfy(d -> {
            assertThat(d.origin()).isEqualTo(ConnectorDefinition.BUILT_IN);
            assertThat(d.sdkVersion()).isEqualTo(ConnectorSdk.VERSION);
        });
    }

    @Test
    void catalogEntriesCarryVersionsAndKinds() {
        ConnectorCatalog catalog = ConnectorCatalog.load();
        assertThat(catalog.source("faker")).isPresent();
        assertThat(catalog.destination("local")).isPresent();
        assertThat(catalog.source("local")).as("a destination is not a source").isEmpty();
        assertThat(catalog.all()).allSatisfy(d -> assertThat(d.version()).matches("\\d+\\.\\d+\\.\\d+"));
    }
}
