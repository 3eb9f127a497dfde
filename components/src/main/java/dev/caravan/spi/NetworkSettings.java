package dev.caravan.spi;

import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How connectors that open network connections themselves (HTTP APIs) reach the outside, as the platform configures it:
 * the TLS context (trust store, key store, protocols) and an HTTP proxy. JDK types only; the platform builds them from
 * its own configuration (the server: Camel's {@code camel-http} and {@code camel.ssl.*} settings). Connectors that cannot
 * apply a setting should say so rather than ignore it.
 *
 * @param sslContext the TLS context for https connections; null = the JVM's default
 * @param proxyHost HTTP proxy host; null = direct connections
 * @param proxyPort the proxy's port (used with {@code proxyHost})
 * @param nonProxyHosts hosts reached directly despite the proxy: exact names, or patterns with a leading or trailing '*'
 * @since SDK 1.0 (additive: connectors built before it receive {@link #DEFAULT})
 */
public record NetworkSettings(SSLContext sslContext, String proxyHost, int proxyPort, List<String> nonProxyHosts) {
    /** The JVM's TLS defaults and no proxy. */
    public static final NetworkSettings DEFAULT = new NetworkSettings(null, null, 0, List.of());

    public NetworkSettings {
        nonProxyHosts = List.copyOf(Objects.requireNonNullElse(nonProxyHosts, List.of()));
        if (proxyHost != null && (proxyHost.isBlank() || proxyPort < 1 || proxyPort > 65_535)) {
            throw new IllegalArgumentException("proxy '" + proxyHost + ":" + proxyPort + "' needs a host and a port between 1 and 65535");
        }
    }

    /** Whether requests to {@code host} go through the proxy. */
    public boolean proxied(String host) {
        if (proxyHost == null) {
            return false;
        }
        for (String pattern : nonProxyHosts) {
            if (pattern.equalsIgnoreCase(host) || pattern.startsWith("*") && host.toLowerCase().endsWith(pattern.substring(1).toLowerCase())
                    || pattern.endsWith("*") && host.toLowerCase().startsWith(pattern.substring(0, pattern.length() - 1).toLowerCase())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "NetworkSettings[tls=" + (sslContext == null ? "JVM default" : sslContext.getProtocol()) + ", proxy="
                + (proxyHost == null ? "none" : proxyHost + ":" + proxyPort + " except " + nonProxyHosts) + "]";
    }
}
