package dev.caravan.destination.s3;

import dev.caravan.destination.parquet.LakeRecovery;
import dev.caravan.destination.parquet.ParquetStreamWriter;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.CommittedStates;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ConnectorSpec.ConnectorKind;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.StreamWriter;
import dev.caravan.spi.WriteRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes streams as Parquet files to an S3 bucket (AWS S3 or an S3-compatible store) with the lake writer shared with
 * the local destination ({@link ParquetStreamWriter}): same layout, same four sync modes, same exactly-once rules.
 * Stateless: each writer has its own client, closed with it.
 */
public final class S3Destination implements DestinationConnector {
    private static final ConnectorSpec SPEC = new ConnectorSpec("s3", ConnectorKind.DESTINATION, "S3 Parquet data lake", S3LakeConfig.OPTIONS);
    static final String PROBE_PREFIX = "_airbyte_internal/check/";

    public S3Destination() {
    }

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    /**
     * Writes a probe object, reads it back, lists the prefix and deletes the probe: the calls a sync makes, with the
     * same client, so a missing bucket, wrong keys, a wrong region or an unreachable endpoint show up here.
     */
    @Override
    public CheckResult check(ConnectorConfig config) {
        S3LakeConfig lake;
        try {
            lake = S3LakeConfig.from(config);
        } catch (CaravanException e) {
            return CheckResult.failed(e.getMessage());
        }
        String probeKey = PROBE_PREFIX + "probe-" + UUID.randomUUID() + ".txt";
        byte[] probe = ("caravan check " + probeKey).getBytes(StandardCharsets.UTF_8);
        try (S3LakeStorage storage = new S3LakeStorage(S3Clients.create(lake), lake)) {
            storage.writeAtomically(probeKey, probe);
            try {
                if (!Arrays.equals(storage.read(probeKey), probe)) {
                    return CheckResult.failed("The store behind " + lake.location() + " returned other bytes than were written to "
                            + storage.describe(probeKey) + ". Fix: check the endpoint; a proxy or gateway may alter objects.");
                }
                storage.list(PROBE_PREFIX);
            } finally {
                storage.delete(probeKey);
            }
            return CheckResult.ok();
        } catch (CaravanException e) {
            return CheckResult.failed(e.getMessage());
        } catch (java.io.IOException | RuntimeException e) {
            return CheckResult.failed("Cannot use " + lake.location() + ": " + e.getMessage());
        }
    }

    /**
     * {@code s3://<store>/<bucket>/<prefix>}: the store is the endpoint's host and port (lower case), or {@code aws} for
     * AWS itself, whose bucket names are global (the region does not change which bucket is meant).
     */
    @Override
    public String location(ConnectorConfig config) {
        S3LakeConfig lake = S3LakeConfig.from(config);
        String store = lake.endpoint() == null ? "aws"
                : (lake.endpoint().getHost() == null ? lake.endpoint().toString() : lake.endpoint().getHost()).toLowerCase(java.util.Locale.ROOT)
                        + (lake.endpoint().getPort() < 0 ? "" : ":" + lake.endpoint().getPort());
        String prefix = lake.prefix().endsWith("/") ? lake.prefix().substring(0, lake.prefix().length() - 1) : lake.prefix();
        return "s3://" + store + "/" + lake.bucket() + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** Settles interrupted publishes and expired overwrite generations: {@link LakeRecovery}. */
    @Override
    public String recover(ConnectorConfig config, CommittedStates states) {
        S3LakeConfig lake = S3LakeConfig.from(config);
        return LakeRecovery.recover(new S3LakeStorage(S3Clients.create(lake), lake), lake.format(), states);
    }

    @Override
    public StreamWriter open(ConnectorConfig config, WriteRequest request) {
        S3LakeConfig lake = S3LakeConfig.from(config);
        S3Client client = S3Clients.create(lake);
        return ParquetStreamWriter.open(new S3LakeStorage(client, lake), lake.format(), request);
    }
}
