package dev.caravan.server;

import dev.caravan.spi.NetworkSettings;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The network settings connectors get (TLS, HTTP proxy), built from Camel's configuration of its {@code http}
 * component, so that connectors reach APIs the way a {@code camel-http} route of this server would:
 * <ul>
 *   <li>TLS: {@code camel.component.http.ssl-context-parameters} (a bean) or, with
 *       {@code camel.component.http.use-global-ssl-context-parameters=true}, the global {@code camel.ssl.*} settings;
 *       otherwise the JVM's default trust store.</li>
 *   <li>Proxy: {@code camel.component.http.proxy-host} / {@code proxy-port} / {@code non-proxy-hosts} ('|' or ','
 *       separated), else Camel's global options {@code http.proxyHost} / {@code http.proxyPort}.</li>
 * </ul>
 * Proxy authentication is not passed on.
 */
public final class CamelNetworkSettings {
    private CamelNetworkSettings() {
    }

    public static NetworkSettings from(CamelContext context) {
        HttpComponent http = context.getComponent("http", HttpComponent.class);
        SSLContextParameters tls = http.getSslContextParameters();
        if (tls == null && http.isUseGlobalSslContextParameters()) {
            tls = context.getSSLContextParameters();
        }
        SSLContext sslContext;
        try {
            sslContext = tls == null ? null : tls.createSSLContext(context);
        } catch (Exception e) {
            throw new IllegalStateException("Camel's TLS settings for the http component cannot build an SSL context: " + e.getMessage()
                    + " (fix camel.ssl.* or camel.component.http.ssl-context-parameters)", e);
        }
        String host = http.getProxyHost();
        Integer port = http.getProxyPort();
        if (host == null || host.isBlank()) {
            host = context.getGlobalOption("http.proxyHost");
            String p = context.getGlobalOption("http.proxyPort");
            port = p == null || p.isBlank() ? null : Integer.valueOf(p.strip());
        }
        if (host == null || host.isBlank()) {
            return new NetworkSettings(sslContext, null, 0, List.of());
        }
        String except = http.getNonProxyHosts();
        List<String> nonProxy = except == null ? List.of() : Arrays.stream(except.split("[|,]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        return new NetworkSettings(sslContext, host.strip(), port == null ? 80 : port, nonProxy);
    }
}
