package dev.caravan.destination.parquet;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.CommittedStates;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ConnectorSpec.ConnectorKind;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.StreamWriter;
import dev.caravan.spi.WriteRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;

/** Writes streams as Parquet files into a directory on the local (or a mounted) file system. Stateless. */
public final class LocalParquetDestination implements DestinationConnector {
    private static final ConnectorSpec SPEC = new ConnectorSpec("local", ConnectorKind.DESTINATION, "Local Parquet files", LocalLakeConfig.OPTIONS);

    public LocalParquetDestination() {
    }

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    /** Creates the root if missing, then writes, reads back and deletes a probe file the way data files are written. */
    @Override
    public CheckResult check(ConnectorConfig config) {
        LocalLakeConfig lake;
        try {
            lake = LocalLakeConfig.from(config);
        } catch (CaravanException e) {
            return CheckResult.failed(e.getMessage());
        }
        LocalLakeStorage storage = new LocalLakeStorage(lake.root());
        String probeKey = "_airbyte_internal/check/probe-" + UUID.randomUUID() + ".txt";
        byte[] probe = ("caravan check " + probeKey).getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(lake.root());
            storage.writeAtomically(probeKey, probe);
            if (!Arrays.equals(storage.read(probeKey), probe)) {
                return CheckResult.failed("The lake directory " + lake.root() + " returned other bytes than were written to "
                        + storage.describe(probeKey) + ". Fix: check the file system or mount behind the path.");
            }
            storage.delete(probeKey);
            return CheckResult.ok();
        } catch (IOException e) {
            String message = LakeErrors.of("write to the lake directory", lake.root().toString(), e).getMessage();
            return CheckResult.failed(message.contains("Fix:") ? message
                    : message + " Fix: make the path a writable directory on a local or mounted file system.");
        }
    }

    /** The lake root as a {@code file:} URI, with symbolic links of its existing part resolved. */
    @Override
    public String location(ConnectorConfig config) {
        Path root = LocalLakeConfig.from(config).root();
        Path existing = root;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        Path real = root;
        if (existing != null) {
            try {
                real = existing.toRealPath().resolve(existing.relativize(root));
            } catch (IOException e) {
                real = root;
            }
        }
        String uri = real.toUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** Settles interrupted publishes and expired overwrite generations: {@link LakeRecovery}. */
    @Override
    public String recover(ConnectorConfig config, CommittedStates states) {
        LocalLakeConfig lake = LocalLakeConfig.from(config);
        if (!Files.isDirectory(lake.root())) {
            return "";
        }
        return LakeRecovery.recover(new LocalLakeStorage(lake.root()), lake.format(), states);
    }

    @Override
    public StreamWriter open(ConnectorConfig config, WriteRequest request) {
        LocalLakeConfig lake = LocalLakeConfig.from(config);
        return ParquetStreamWriter.open(new LocalLakeStorage(lake.root()), lake.format(), request);
    }
}
