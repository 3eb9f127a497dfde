package dev.caravan.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the source and destination kits check alike: the spec as JSON Schema, and {@code check} on good and bad configurations. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConnectorAcceptanceKit {

    protected abstract ConnectorSpec spec();

    protected abstract CheckResult check(ConnectorConfig config);

    /** A valid configuration. */
    protected abstract Map<String, Object> config();

    /** Configurations {@code check} must refuse (unknown host, wrong password, missing database…). */
    protected abstract List<BadConfig> badConfigs();

    protected ConnectorConfig validated() {
        return spec().validate(config(), "");
    }

    @Test
    void specIsAValidJsonSchemaAcceptingTheConfig() {
        ConnectorChecks.specIsAValidJsonSchemaAccepting(spec(), config());
    }

    @Test
    void checkAcceptsTheConfig() {
        ConnectorChecks.checkAccepts(this::check, spec(), config());
    }

    @Test
    void checkRefusesBadConfigsNamingTheOptionWithinSeconds() {
        assertThat(badConfigs()).as("bad configurations to check").isNotEmpty();
        ConnectorChecks.checkRefusesNamingTheField(this::check, spec(), config(), badConfigs());
    }
}
