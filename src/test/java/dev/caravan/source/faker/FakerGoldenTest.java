package dev.caravan.source.faker;

import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.Field;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.caravan.source.faker.FakerTesting.SOURCE;
import static dev.caravan.source.faker.FakerTesting.config;
import static dev.caravan.source.faker.FakerTesting.fullRefresh;
import static dev.caravan.source.faker.FakerTesting.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spec, the discovered catalog and the first rows of each stream under the default config, compared with
 * the files in {@code src/test/resources/golden/faker}. A change of them changes what every user of seed 42 gets:
 * review it, then regenerate with {@code mvn test -Dtest='FakerGoldenTest' -Dcaravan.golden.update=true}.
 */
class FakerGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/faker");

    @Test
    void specAndCatalog() throws IOException {
        StringBuilder text = new StringBuilder("spec ").append(SOURCE.spec().name()).append(' ').append(SOURCE.spec().kind())
                .append(" \"").append(SOURCE.spec().title()).append("\"\n");
        for (ConfigOption option : SOURCE.spec().options()) {
            text.append("  option ").append(option.name()).append(' ').append(option.type()).append(" default=").append(option.defaultValue())
                    .append(" range=").append(option.minimum()).append("..").append(option.maximum())
                    .append(" secret=").append(option.secret()).append(": ").append(option.description()).append('\n');
        }
        for (CatalogStream stream : SOURCE.discover(config(Map.of())).streams()) {
            text.append("stream ").append(stream.name()).append(" modes=").append(stream.supportedSyncModes())
                    .append(" pk=").append(stream.primaryKey()).append(" cursors=").append(stream.cursorCandidates())
                    .append(" default_cursor=").append(stream.defaultCursorField()).append('\n');
            for (Field field : stream.schema().fields()) {
                text.append("  ").append(field.name()).append(' ').append(field.type()).append(field.nullable() ? "" : " not null").append('\n');
            }
        }
        assertGolden("catalog.txt", text.toString());
    }

    @Test
    void firstRowsOfEachStreamUnderTheDefaults() throws IOException {
        ConnectorConfig defaults = config(Map.of());
        StringBuilder text = new StringBuilder();
        for (String stream : FakerStreams.CATALOG.streamNames()) {
            text.append(stream).append('\n');
            for (Object[] row : rows(defaults, fullRefresh(stream, Map.of(), 1000)).subList(0, 5)) {
                text.append("  ").append(Arrays.stream(row).map(String::valueOf).collect(Collectors.joining(" | "))).append('\n');
            }
        }
        assertGolden("rows.txt", text.toString());
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("caravan.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual);
        }
        assertThat(file).as("golden file; create it with -Dcaravan.golden.update=true").exists();
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
