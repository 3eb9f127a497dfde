package dev.caravan.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    @Test
    void defaultsPutEverythingUnderHome() {
        Properties p = new Properties();
        p.setProperty(ServerSettings.HOME, "/srv/caravan");
        ServerSettings settings = ServerSettings.from(p);
        assertThat(settings.home()).isEqualTo(Path.of("/srv/caravan"));
        assertThat(settings.routesDirectory()).isEqualTo(Path.of("/srv/caravan/camel-routes"));
        assertThat(settings.routesScanInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.stateUrl()).isEqualTo("jdbc:h2:file:/srv/caravan/data/caravan-state;WRITE_DELAY=0");
        assertThat(settings.stateUser()).isEmpty();
        assertThat(settings.statePassword()).isEmpty();
    }

    @Test
    void everySettingCanComeFromASystemPropertyOrTheEnvironment() throws Exception {
        java.util.List<String> declared = new java.util.ArrayList<>();
        for (java.lang.reflect.Field field : ServerSettings.class.getFields()) {
            if (field.getType() == String.class && java.lang.reflect.Modifier.isStatic(field.getModifiers())
                    && ((String) field.get(null)).startsWith("caravan.")) {
                declared.add((String) field.get(null));
            }
        }
        assertThat(ServerSettings.KEYS).containsExactlyInAnyOrderElementsOf(declared);
        System.setProperty(ServerSettings.HTTP_MAX_BODY_BYTES, "4194304");
        try {
            assertThat(ServerSettings.load(java.util.Map.of()).maxBodyBytes()).isEqualTo(4_194_304);
        } finally {
            System.clearProperty(ServerSettings.HTTP_MAX_BODY_BYTES);
        }
    }

    @Test
    void classpathDefaultsAreDocumentedInApplicationProperties() {
        ServerSettings settings = ServerSettings.load(java.util.Map.of(ServerSettings.HOME, "/x"));
        assertThat(settings.routesDirectory()).isEqualTo(Path.of("/x/camel-routes"));
        assertThat(settings.routesScanInterval()).isEqualTo(Duration.ofMillis(1000));
        assertThat(settings.stateHistoryDays()).isEqualTo(90);
    }

    @Test
    void pluginFoldersAreRelativeToHomeAndMustBeFolders(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        Properties p = new Properties();
        p.setProperty(ServerSettings.HOME, home.toString());
        ServerSettings defaults = ServerSettings.from(p);
        assertThat(defaults.pluginDirectories()).as("the default, created at start if missing").containsExactly(home.resolve("plugins"));
        assertThat(defaults.pluginsScanInterval()).isEqualTo(Duration.ofSeconds(2));

        p.setProperty(ServerSettings.PLUGINS_DIRS, " plugins , /opt/caravan/plugins,");
        p.setProperty(ServerSettings.PLUGINS_SCAN_INTERVAL_MS, "0");
        ServerSettings two = ServerSettings.from(p);
        assertThat(two.pluginDirectories()).containsExactly(home.resolve("plugins"), Path.of("/opt/caravan/plugins"));
        assertThat(two.pluginsScanInterval()).as("0: plugins load at start only").isZero();

        p.setProperty(ServerSettings.PLUGINS_DIRS, "");
        assertThat(ServerSettings.from(p).pluginDirectories()).as("empty: no plugins").isEmpty();

        java.nio.file.Files.writeString(home.resolve("a-file"), "x");
        p.setProperty(ServerSettings.PLUGINS_DIRS, "a-file,plugins,./plugins");
        p.setProperty(ServerSettings.PLUGINS_SCAN_INTERVAL_MS, "often");
        assertThatThrownBy(() -> ServerSettings.from(p)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).hasSize(3);
            assertThat(e.getMessage()).contains("caravan.plugins.dirs: 'a-file'", "is a file; name a folder")
                    .contains("caravan.plugins.dirs: './plugins' — is listed twice")
                    .contains("caravan.plugins.scan-interval-ms: 'often'");
        });
    }

    @Test
    void stateHistoryRetentionIsAWholeNumberOfDays() {
        Properties p = new Properties();
        p.setProperty(ServerSettings.RETENTION_STATE_HISTORY_DAYS, "0");
        assertThat(ServerSettings.from(p).stateHistoryDays()).as("0 keeps everything").isZero();
        p.setProperty(ServerSettings.RETENTION_STATE_HISTORY_DAYS, "a month");
        assertThatThrownBy(() -> ServerSettings.from(p)).hasMessageContaining("caravan.retention.state-history-days: 'a month'");
        p.setProperty(ServerSettings.RETENTION_STATE_HISTORY_DAYS, "-1");
        assertThatThrownBy(() -> ServerSettings.from(p)).hasMessageContaining("caravan.retention.state-history-days: '-1'");
    }

    @Test
    void badValuesAreReportedTogetherWithTheirFix() {
        Properties p = new Properties();
        p.setProperty(ServerSettings.ROUTES_SCAN_INTERVAL_MS, "soon");
        p.setProperty(ServerSettings.STATE_URL, "postgres://db/caravan");
        assertThatThrownBy(() -> ServerSettings.from(p)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).hasSize(2);
            assertThat(e.getMessage()).contains("caravan.routes.scan-interval-ms: 'soon'").contains("whole number of milliseconds")
                    .contains("caravan.state.url: 'postgres://db/caravan'").contains("use a JDBC URL");
        });
        p.setProperty(ServerSettings.ROUTES_SCAN_INTERVAL_MS, "10");
        p.remove(ServerSettings.STATE_URL);
        assertThatThrownBy(() -> ServerSettings.from(p)).hasMessageContaining("between 50 and 3600000");
    }

    @Test
    void anAddressOtherMachinesReachRequiresAuthentication() {
        Properties p = new Properties();
        p.setProperty(ServerSettings.HTTP_HOST, "0.0.0.0");
        assertThatThrownBy(() -> ServerSettings.from(p)).isInstanceOfSatisfying(ConfigException.class, e ->
                assertThat(e.getMessage()).contains("caravan.auth.enabled: 'false'").contains("listens on 0.0.0.0")
                        .contains("set caravan.auth.enabled=true"));
        p.setProperty(ServerSettings.AUTH_ENABLED, "true");
        assertThat(ServerSettings.from(p).authEnabled()).isTrue();
        for (String loopback : new String[] {"127.0.0.1", "localhost", "::1"}) {
            Properties open = new Properties();
            open.setProperty(ServerSettings.HTTP_HOST, loopback);
            assertThat(ServerSettings.from(open).authEnabled()).as(loopback).isFalse();
        }
        p.setProperty(ServerSettings.AUTH_ENABLED, "yes");
        assertThatThrownBy(() -> ServerSettings.from(p)).hasMessageContaining("use true or false");
    }

    @Test
    void openingANetworkAddressWithoutAuthenticationNeedsItsOwnFlagAndIsSaidAtStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) {
        Properties p = new Properties();
        p.setProperty(ServerSettings.HTTP_HOST, "0.0.0.0");
        p.setProperty(ServerSettings.HTTP_OPEN_WITHOUT_AUTH, "true");
        assertThat(ServerSettings.from(p).openWithoutAuth()).isTrue();
        try (dev.caravan.testing.LogCapture log = new dev.caravan.testing.LogCapture();
             dev.caravan.testing.TestingServer server = new dev.caravan.testing.TestingServer(home, java.util.Map.of(
                     ServerSettings.HTTP_HOST, "0.0.0.0", ServerSettings.HTTP_OPEN_WITHOUT_AUTH, "true"))) {
            assertThat(log.text()).contains("Authentication is OFF and the server listens on 0.0.0.0, which other machines can reach");
        }
        try (dev.caravan.testing.LogCapture log = new dev.caravan.testing.LogCapture();
             dev.caravan.testing.TestingServer server = new dev.caravan.testing.TestingServer(home.resolve("loopback"))) {
            assertThat(log.text()).contains("Authentication is OFF: the server listens on 127.0.0.1 (this machine only)");
        }
    }

    @Test
    void requestLimitsAndAllowedOriginsAreValidated() {
        ServerSettings defaults = ServerSettings.from(new Properties());
        assertThat(defaults.maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(defaults.allowedOrigins()).isEmpty();
        Properties p = new Properties();
        p.setProperty(ServerSettings.HTTP_ALLOWED_ORIGINS, "https://UI.example.com, http://127.0.0.1:3000");
        assertThat(ServerSettings.from(p).allowedOrigins()).containsExactly("https://ui.example.com", "http://127.0.0.1:3000");
        p.setProperty(ServerSettings.HTTP_ALLOWED_ORIGINS, "https://ui.example.com/app, *");
        p.setProperty(ServerSettings.HTTP_MAX_BODY_BYTES, "10");
        assertThatThrownBy(() -> ServerSettings.from(p)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .extracting(dev.caravan.spi.ConfigProblem::value).containsExactlyInAnyOrder("https://ui.example.com/app", "*", "10"));
    }

    @Test
    void operationsDefaults() {
        ServerSettings settings = ServerSettings.load(java.util.Map.of(ServerSettings.HOME, "/x"));
        assertThat(settings.authEnabled()).isFalse();
        assertThat(settings.hawtioEnabled()).isTrue();
        assertThat(settings.initialAdminToken()).isEmpty();
        assertThat(settings.httpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void onlySomeConnectionsRoutesIsANameListAndNoClusterNodesSetting() {
        Properties p = new Properties();
        p.setProperty(ServerSettings.HOME, "/srv/caravan");
        assertThat(ServerSettings.from(p).routesOnlyConnections()).as("every route loads by default").isEmpty();
        p.setProperty(ServerSettings.ROUTES_ONLY_CONNECTIONS, " orders, ,users ,");
        ServerSettings settings = ServerSettings.from(p);
        assertThat(settings.routesOnlyConnections()).containsExactly("orders", "users");
        assertThat(settings.toString()).contains("routesOnlyConnections=[orders, users]");

        p.setProperty(ServerSettings.STATE_URL, "jdbc:postgresql://db:5432/caravan");
        p.setProperty(ServerSettings.CLUSTER_ENABLED, "true");
        assertThatThrownBy(() -> ServerSettings.from(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(ServerSettings.ROUTES_ONLY_CONNECTIONS).hasMessageContaining("orders,users")
                .hasMessageContaining("cluster node runs the jobs of every connection");
    }

    @Test
    void thePasswordIsNeverPrinted() {
        Properties p = new Properties();
        p.setProperty(ServerSettings.STATE_PASSWORD, "hunter2");
        p.setProperty(ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, "the-initial-admin-secret-xyz");
        assertThat(ServerSettings.from(p).toString()).doesNotContain("hunter2").doesNotContain("the-initial-admin-secret-xyz").contains("**********");
    }

    @Test
    void clusterModeNeedsAPostgresStoreAndAValidNodeId() {
        Properties p = new Properties();
        p.setProperty(ServerSettings.HOME, "/srv/caravan");
        assertThat(ServerSettings.from(p).cluster().enabled()).as("single node by default").isFalse();

        p.setProperty(ServerSettings.CLUSTER_ENABLED, "true");
        assertThatThrownBy(() -> ServerSettings.from(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(ServerSettings.CLUSTER_ENABLED).hasMessageContaining("jdbc:postgresql://");

        p.setProperty(ServerSettings.STATE_URL, "jdbc:postgresql://db:5432/caravan");
        ServerSettings.ClusterSettings generated = ServerSettings.from(p).cluster();
        assertThat(generated.enabled()).isTrue();
        assertThat(generated.nodeId()).as("unique per process when not set").contains("-" + ProcessHandle.current().pid() + "-");
        assertThat(generated.leaseTimeout()).isEqualTo(Duration.ofSeconds(30));

        p.setProperty(ServerSettings.CLUSTER_NODE_ID, "node a");
        p.setProperty(ServerSettings.CLUSTER_LEASE_TIMEOUT_MS, "100");
        assertThatThrownBy(() -> ServerSettings.from(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(ServerSettings.CLUSTER_NODE_ID).hasMessageContaining("node a")
                .hasMessageContaining(ServerSettings.CLUSTER_LEASE_TIMEOUT_MS).hasMessageContaining("between 3000");

        p.setProperty(ServerSettings.CLUSTER_NODE_ID, "node-a");
        p.setProperty(ServerSettings.CLUSTER_LEASE_TIMEOUT_MS, "10000");
        assertThat(ServerSettings.from(p).cluster()).isEqualTo(new ServerSettings.ClusterSettings(true, "node-a", Duration.ofSeconds(10)));
    }
}
