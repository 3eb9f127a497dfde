package dev.caravan.catalog;

import dev.caravan.spi.ConnectorSdk;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a connector built for one SDK version runs on this server's ({@link ConnectorSdk#VERSION}): same major, and a
 * minor not newer than the server's. Anything else is refused with the reason and the fix.
 */
final class SdkVersions {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    private SdkVersions() {
    }

    /** Why {@code declared} cannot run here, or empty when it can. */
    static Optional<String> incompatibility(String declared, String server) {
        Matcher wanted = VERSION.matcher(declared.strip());
        Matcher have = VERSION.matcher(server);
        if (!wanted.matches() || !have.matches()) {
            return Optional.of("sdk_version '" + declared + "' is not MAJOR.MINOR; write the SDK version the connector is built against, e.g. "
                    + server);
        }
        int major = Integer.parseInt(wanted.group(1));
        int minor = Integer.parseInt(wanted.group(2));
        int serverMajor = Integer.parseInt(have.group(1));
        int serverMinor = Integer.parseInt(have.group(2));
        if (major != serverMajor) {
            return Optional.of("built for connector SDK " + declared + ", but this server implements SDK " + server + " (a different major version"
                    + " changes the contracts): rebuild the connector against caravan-connector-sdk " + server + ", or run a server with SDK "
                    + major + ".x");
        }
        if (minor > serverMinor) {
            return Optional.of("built for connector SDK " + declared + ", newer than this server's SDK " + server
                    + ": upgrade the server, or rebuild the connector against SDK " + server);
        }
        return Optional.empty();
    }

    static Optional<String> incompatibility(String declared) {
        return incompatibility(declared, ConnectorSdk.VERSION);
    }
}
