package dev.caravan.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * connector-catalog/<name>/spec.json is generated from the options each connector declares; this keeps the published
 * file and the code in step (regenerate: -Dcaravan.golden.update=true).
 */
class SpecGoldenTest {

    @Test
    void everyConnectorsPublishedSpecMatchesItsCode() {
        ConnectorCatalog catalog = ConnectorCatalog.load();
        assertThat(catalog.all()).extracting(ConnectorDefinition::name).contains("faker", "local");
        for (ConnectorDefinition definition : catalog.all()) {
            // Test-only connectors (src/test/resources/connector-catalog) keep their golden spec beside their metadata.
            Path folder = Path.of("connector-catalog", definition.name());
            Path golden = (Files.isDirectory(folder) ? folder : Path.of("src/test/resources/connector-catalog", definition.name())).resolve("spec.json");
            Golden.assertMatches(golden, SpecJsonSchema.renderText(definition.spec()));
        }
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
