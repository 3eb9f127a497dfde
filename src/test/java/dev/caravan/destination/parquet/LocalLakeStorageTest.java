package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.io.PositionOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLakeStorageTest {
    @TempDir
    Path dir;
    private LocalLakeStorage storage;
    private TestingLake lake;

    @BeforeEach
    void setUp() {
        storage = new LocalLakeStorage(dir);
        lake = new TestingLake(dir);
    }

    @Test
    void aStagedFileIsInvisibleUntilPublished() throws Exception {
        StagedFile staged = storage.stage(scope("conn/ns/orders"), "raw/ns/orders/2024/05/01/data-001.parquet");
        try (PositionOutputStream out = staged.outputFile().create(0)) {
            out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[300_000], 0, 300_000);
            assertThat(out.getPos()).isEqualTo(300_004);
            assertThatThrownBy(staged::publish).isInstanceOf(IllegalStateException.class).hasMessageContaining("close");
        }
        assertThat(storage.list("raw/")).isEmpty();
        assertThat(lake.stagedFiles()).singleElement().asString()
                .startsWith("_airbyte_internal/tmp/conn/ns/orders/data-001.parquet.").endsWith(".staged");

        assertThat(staged.publish()).isEqualTo(300_004);
        assertThat(storage.list("raw/")).containsExactly("raw/ns/orders/2024/05/01/data-001.parquet");
        assertThat(lake.stagedFiles()).isEmpty();
        assertThat(dir.resolve("_airbyte_internal/tmp/conn/ns/orders")).as("kept for the stream's next job").isEmptyDirectory();
        storage.discardStaged(scope("conn/ns/orders"));
        assertThat(dir.resolve("_airbyte_internal/tmp/conn/ns/orders")).as("a job's start finds nothing to discard").isEmptyDirectory();
        staged.discard();
        assertThat(storage.list("raw/")).hasSize(1);
        assertThatThrownBy(staged::publish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void discardBeforeCloseMakesLaterWritesFail() throws Exception {
        StagedFile staged = storage.stage(scope("conn/orders"), "raw/orders/2024/05/01/data-001.parquet");
        PositionOutputStream out = staged.outputFile().create(0);
        out.write(new byte[10], 0, 10);
        staged.discard();
        assertThatThrownBy(() -> {
            out.write(new byte[1 << 20], 0, 1 << 20);
            out.flush();
        }).isInstanceOf(IOException.class);
        out.close();
        staged.discard();
        assertThat(lake.files()).isEmpty();
        assertThatThrownBy(staged::publish).isInstanceOf(IllegalStateException.class).hasMessageContaining("discarded");
    }

    @Test
    void discardStagedRemovesOnlyTheScopesOwnFiles() throws Exception {
        for (String scope : new String[] {"conn/a", "conn/a/b", "conn/ab"}) {
            StagedFile staged = storage.stage(scope(scope), "raw/" + scope + "/data-001.parquet");
            staged.outputFile().create(0).close();
        }
        storage.discardStaged(scope("conn/a"));
        assertThat(lake.stagedFiles()).hasSize(2).allMatch(f -> f.startsWith("_airbyte_internal/tmp/conn/a/b/") || f.startsWith("_airbyte_internal/tmp/conn/ab/"));
        storage.discardStaged(scope("conn/missing"));
    }

    @Test
    void listFindsVisibleFilesByPrefixSorted() throws Exception {
        storage.writeAtomically("raw/ns/orders/2024/05/02/data-001.parquet", new byte[1]);
        storage.writeAtomically("raw/ns/orders/2024/05/01/data-002.parquet", new byte[1]);
        storage.writeAtomically("raw/ns/orders_archive/2024/05/01/data-001.parquet", new byte[1]);
        storage.writeAtomically("raw/ns/customers/2024/05/01/data-001.parquet", new byte[1]);
        Files.writeString(dir.resolve("raw/ns/orders/.hidden"), "x");
        storage.stage(scope("conn/ns/orders"), "raw/ns/orders/2024/05/01/data-003.parquet").outputFile().create(0).close();

        assertThat(storage.list("raw/ns/orders/")).containsExactly("raw/ns/orders/2024/05/01/data-002.parquet",
                "raw/ns/orders/2024/05/02/data-001.parquet");
        assertThat(storage.list("raw/ns/orders")).hasSize(3);
        assertThat(storage.list("raw/ns/nothing/")).isEmpty();
        assertThat(storage.list("")).hasSize(4);
    }

    @Test
    void writeAtomicallyReplacesWithoutLeavingTemporaryFiles() throws Exception {
        storage.writeAtomically("_airbyte_internal/state/orders/jobs/job-1.json", "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
        storage.writeAtomically("_airbyte_internal/state/orders/jobs/job-1.json", "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(storage.read("_airbyte_internal/state/orders/jobs/job-1.json"), StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
        assertThat(lake.files()).containsExactly("_airbyte_internal/state/orders/jobs/job-1.json");
    }

    @Test
    void deleteRemovesEmptiedDirectoriesButKeepsTheRoot() throws Exception {
        storage.writeAtomically("raw/ns/orders/2024/05/01/data-001.parquet", new byte[1]);
        storage.writeAtomically("raw/ns/customers/2024/05/01/data-001.parquet", new byte[1]);
        storage.delete("raw/ns/orders/2024/05/01/data-001.parquet");
        storage.delete("raw/ns/orders/2024/05/01/data-001.parquet");
        assertThat(dir.resolve("raw/ns/orders")).doesNotExist();
        assertThat(dir.resolve("raw/ns/customers/2024/05/01")).isDirectory();
        storage.delete("raw/ns/customers/2024/05/01/data-001.parquet");
        assertThat(dir).isDirectory();
        assertThat(dir.resolve("raw")).doesNotExist();
    }

    @Test
    void keysCannotLeaveTheRoot() {
        assertThatThrownBy(() -> storage.delete("../outside")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lake root");
        assertThatThrownBy(() -> storage.stage(scope("conn/../../.."), "raw/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.writeAtomically("", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    private static StagingScope scope(String name) {
        return new StagingScope(name, java.util.List.of(), key -> false);
    }
}
