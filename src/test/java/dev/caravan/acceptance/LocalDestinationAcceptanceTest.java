package dev.caravan.acceptance;

import dev.caravan.destination.parquet.LocalParquetDestination;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.DestinationConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The local Parquet destination passes the acceptance kit; DuckDB reads the files back. */
class LocalDestinationAcceptanceTest extends DestinationAcceptanceKit {
    @TempDir
    Path home;

    @Override
    protected DestinationConnector connector() {
        return new LocalParquetDestination();
    }

    @Override
    protected Map<String, Object> config() {
        return Map.of("path", home.resolve("lake").toString());
    }

    @Override
    protected Map<String, Object> otherPlaceConfig() {
        return Map.of("path", home.resolve("other-lake").toString());
    }

    @Override
    protected List<BadConfig> badConfigs() {
        try {
            Path file = Files.writeString(home.resolve("a-file"), "not a directory");
            return List.of(BadConfig.of("path", file.resolve("lake").toString()), BadConfig.of("path", "/proc/caravan-kit/lake"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected List<List<String>> committedRows(ConnectorConfig config, String namespace, String stream) throws Exception {
        return LakeReader.rows(Path.of(config.string("path")), namespace, stream);
    }
}
