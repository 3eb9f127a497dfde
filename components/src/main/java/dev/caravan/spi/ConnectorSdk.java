package dev.caravan.spi;

/**
 * The version of this connector SDK, as {@code MAJOR.MINOR}. A connector names the SDK version it was built against in
 * its catalog metadata ({@code sdk_version} in {@code connector-catalog/<name>/metadata.yaml}). A server loads it only
 * when the major versions are equal and the connector's minor version is not newer than the server's: minor versions
 * add to the contracts without breaking them, a major version breaks them.
 */
public final class ConnectorSdk {
    /** The SDK version this server (or this SDK jar) implements. */
    public static final String VERSION = "1.3";

    private ConnectorSdk() {
    }
}
