package dev.caravan.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.source.http.HttpSource;
import dev.caravan.source.http.TestingHttpApi;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.NetworkSettings;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The http source reaches APIs under Camel's HTTP configuration: an https API with a self-signed certificate (made by the
 * JDK's keytool for this test) is refused with the JVM's trust store and read once Camel's TLS settings trust it; a
 * proxy set on camel-http carries the requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CamelNetworkSettingsTest {
    private static final String PASSWORD = "changeit";
    private Path trustStore;
    private TestingHttpApi https;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path serverStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(out).isZero();
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverStore)) {
            server.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("api", server.getCertificate("api"));
        trustStore = dir.resolve("trust.p12");
        try (OutputStream o = Files.newOutputStream(trustStore)) {
            trust.store(o, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(server, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        https = new TestingHttpApi(tls);
    }

    @AfterAll
    void stop() {
        https.close();
    }

    private static ConnectorConfig products(String baseUrl) {
        Map<String, Object> values = new HashMap<>(Map.of("manifest", "examples/http-manifests/products.yaml", "api_key", TestingHttpApi.API_KEY));
        values.put("base_url", baseUrl);
        return HttpSource.SPEC.validate(values, "");
    }

    private static int read(ConnectorConfig config) {
        int rows = 0;
        try (StreamReader reader = new HttpSource().read(config, new ReadRequest("products", List.of(), SyncMode.FULL_REFRESH_APPEND, null,
                List.of(), Map.of(), 100))) {
            for (RecordBatch b = reader.next(); b != null; b = reader.next()) {
                rows += b.size();
            }
        }
        return rows;
    }

    private SSLContextParameters trusting() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + trustStore);
        store.setPassword(PASSWORD);
        store.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters params = new SSLContextParameters();
        params.setTrustManagers(trust);
        return params;
    }

    @Test
    void aPrivateCertificateIsRefusedWithoutTheTrustStoreAndTrustedThroughTheHttpComponentsTls() throws Exception {
        assertThat(new HttpSource().check(products(https.baseUrl())).message()).contains("TLS failed").contains("trust store");
        assertThatThrownBy(() -> read(products(https.baseUrl()))).isInstanceOf(CaravanException.class).hasMessageContaining("TLS failed");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getComponent("http", HttpComponent.class).setSslContextParameters(trusting());
            NetworkSettings network = CamelNetworkSettings.from(context);
            assertThat(network.sslContext()).isNotNull();
            assertThat(read(products(https.baseUrl()).withNetwork(network))).isEqualTo(23);
        }
    }

    @Test
    void theGlobalCamelSslSettingsApplyWhenTheHttpComponentUsesThem() throws Exception {
        Main main = new Main();
        main.addInitialProperty("camel.ssl.enabled", "true");
        main.addInitialProperty("camel.ssl.trustStore", "file:" + trustStore);
        main.addInitialProperty("camel.ssl.trustStorePassword", PASSWORD);
        main.addInitialProperty("camel.component.http.useGlobalSslContextParameters", "true");
        main.start();
        try {
            NetworkSettings network = CamelNetworkSettings.from(main.getCamelContext());
            assertThat(read(products(https.baseUrl()).withNetwork(network))).isEqualTo(23);
            assertThat(new HttpSource().check(products(https.baseUrl()).withNetwork(network)).succeeded()).isTrue();
        } finally {
            main.stop();
        }
    }

    @Test
    void requestsGoThroughTheProxySetOnTheHttpComponentExceptToNonProxyHosts() throws Exception {
        try (TestingHttpApi proxy = new TestingHttpApi(); DefaultCamelContext context = new DefaultCamelContext()) {
            HttpComponent http = context.getComponent("http", HttpComponent.class);
            http.setProxyHost("127.0.0.1");
            http.setProxyPort(proxy.port());
            NetworkSettings network = CamelNetworkSettings.from(context);
            assertThat(read(products("http://shop.example.invalid").withNetwork(network))).isEqualTo(23);
            assertThat(proxy.requests).hasSize(5).allMatch(r -> r.startsWith("GET /api/products?limit=5&offset="));
            http.setNonProxyHosts("*.example.invalid");
            NetworkSettings direct = CamelNetworkSettings.from(context);
            assertThat(new HttpSource().check(products("http://shop.example.invalid").withNetwork(direct)).message()).contains("shop.example.invalid");
            assertThat(proxy.requests).hasSize(5);
        }
    }

    @Test
    void camelsGlobalHttpProxyOptionsApplyWhenTheComponentNamesNoProxy() throws Exception {
        try (TestingHttpApi proxy = new TestingHttpApi(); DefaultCamelContext context = new DefaultCamelContext()) {
            context.getGlobalOptions().put("http.proxyHost", "127.0.0.1");
            context.getGlobalOptions().put("http.proxyPort", Integer.toString(proxy.port()));
            NetworkSettings network = CamelNetworkSettings.from(context);
            assertThat(network.proxyHost()).isEqualTo("127.0.0.1");
            assertThat(read(products("http://shop.example.invalid").withNetwork(network))).isEqualTo(23);
            assertThat(proxy.requests).hasSize(5);
        }
    }
}
