package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec.ConnectorKind;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.StreamWriter;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalParquetDestinationTest {
    private final DestinationConnector destination = new LocalParquetDestination();

    @TempDir
    Path dir;

    @Test
    void specNamesTheConnector() {
        assertThat(destination.spec().name()).isEqualTo("local");
        assertThat(destination.spec().kind()).isEqualTo(ConnectorKind.DESTINATION);
        assertThat(destination.spec().title()).isEqualTo("Local Parquet files");
    }

    @Test
    void checkCreatesAMissingDirectoryAndLeavesNoProbeBehind() throws Exception {
        Path root = dir.resolve("new/lake");
        assertThat(destination.check(config(root.toString()))).isEqualTo(CheckResult.ok());
        assertThat(root).isDirectory();
        try (var files = Files.list(root)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void checkOfAFileNamesThePathTheCauseAndTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        CheckResult result = destination.check(config(file.toString()));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).contains(file.toString(), "FileAlreadyExistsException", "Fix:");

        CheckResult below = destination.check(config(file.resolve("lake").toString()));
        assertThat(below.succeeded()).isFalse();
        assertThat(below.message()).contains(file.resolve("lake").toString(), "Not a directory", "Fix:");
    }

    @Test
    void checkReportsConfigProblemsInsteadOfThrowing() {
        CheckResult result = destination.check(config("bad\u0000path"));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).contains("path", "not a valid path");
    }

    @Test
    void openWritesIntoTheConfiguredRoot() throws Exception {
        ConnectorConfig config = destination.spec().validate(Map.of("path", dir.toString(), "compression", "zstd"), "");
        WriteRequest request = TestingLake.request("orders", SyncMode.FULL_REFRESH_OVERWRITE, ParquetStreamWriterTest.batch(0, 1).schema(), 1);
        try (StreamWriter writer = destination.open(config, request)) {
            writer.write(ParquetStreamWriterTest.batch(0, 42));
            assertThat(writer.commit().files()).containsExactly("raw/ns/orders/generation=1/2024/05/01/data-001.parquet");
        }
        try (TestingDuckDb duck = new TestingDuckDb()) {
            assertThat(duck.count(TestingDuckDb.parquet(dir.resolve("raw")))).isEqualTo(42);
            String file = "'" + dir.resolve("raw/ns/orders/generation=1/2024/05/01/data-001.parquet") + "'";
            assertThat(duck.rows("select distinct compression from parquet_metadata(" + file + ")")).containsExactly(List.of("ZSTD"));
        }
    }

    @Test
    void theCatalogEntryAndTheServiceRegistrationNameThisClass() throws Exception {
        String metadata = Files.readString(Path.of("connector-catalog/local/metadata.yaml"));
        assertThat(metadata).contains("name: local", "kind: destination", "version: 0.1.0", "sdk_version: \"" + dev.caravan.spi.ConnectorSdk.VERSION + "\"", "title: Local Parquet files");
        assertThat(dev.caravan.catalog.ConnectorCatalog.load().definition("local")).hasValueSatisfying(d -> {
            assertThat(d.implementation()).isEqualTo(LocalParquetDestination.class.getName());
            assertThat(d.connector()).isInstanceOf(DestinationConnector.class);
        });
    }

    private ConnectorConfig config(String path) {
        return destination.spec().validate(Map.of("path", path), "");
    }
}
