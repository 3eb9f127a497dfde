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
    void classpathDefaultsAreDocumentedInApplicationProperties() {
        ServerSettings settings = ServerSettings.load(java.util.Map.of(ServerSettings.HOME, "/x"));
        assertThat(settings.routesDirectory()).isEqualTo(Path.of("/x/camel-routes"));
        assertThat(settings.routesScanInterval()).isEqualTo(Duration.ofMillis(1000));
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
    void thePasswordIsNeverPrinted() {
        Properties p = new Properties();
        p.setProperty(ServerSettings.STATE_PASSWORD, "hunter2");
        assertThat(ServerSettings.from(p).toString()).doesNotContain("hunter2").contains("**********");
    }
}
