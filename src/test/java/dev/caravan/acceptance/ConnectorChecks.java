package dev.caravan.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.caravan.catalog.SpecJsonSchema;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The checks sources and destinations share: the spec as JSON Schema, and {@code check} on good and bad configurations. */
final class ConnectorChecks {
    /** How long {@code check} may take to refuse a bad configuration. */
    static final Duration CHECK_LIMIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private ConnectorChecks() {
    }

    /** The published spec is a valid JSON Schema (2020-12) that the valid configuration satisfies. */
    static void specIsAValidJsonSchemaAccepting(ConnectorSpec spec, Map<String, Object> config) {
        JsonNode rendered = SpecJsonSchema.render(spec);
        Schema meta = SCHEMAS.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(messages(meta.validate(rendered))).as("spec of %s against the JSON Schema meta-schema", spec.name()).isEmpty();
        Schema schema = SCHEMAS.getSchema(rendered);
        assertThat(messages(schema.validate(JSON.valueToTree(config)))).as("the valid configuration against the spec of %s", spec.name())
                .isEmpty();
        assertThat(messages(schema.validate(JSON.valueToTree(Map.of("no_such_option_" + spec.name(), 1)))))
                .as("an unknown option is refused by the spec of %s", spec.name()).isNotEmpty();
        spec.validate(config, "");
    }

    static void checkAccepts(Function<ConnectorConfig, CheckResult> check, ConnectorSpec spec, Map<String, Object> config) {
        CheckResult result = check.apply(spec.validate(config, ""));
        assertThat(result.succeeded()).as("check of %s: %s", spec.name(), result.message()).isTrue();
    }

    /** Each bad configuration is refused within {@link #CHECK_LIMIT}, by a one-paragraph message naming the option. */
    static void checkRefusesNamingTheField(Function<ConnectorConfig, CheckResult> check, ConnectorSpec spec, Map<String, Object> config,
                                           List<BadConfig> bad) {
        for (BadConfig b : bad) {
            Map<String, Object> raw = new HashMap<>(config);
            raw.putAll(b.overrides());
            long started = System.nanoTime();
            CheckResult result;
            try {
                result = check.apply(spec.validate(raw, ""));
            } catch (ConfigException e) {
                // refused before check runs: the spec's own validation
                result = CheckResult.failed(e.getMessage());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(result.succeeded()).as("check of %s with %s", spec.name(), b.overrides()).isFalse();
            assertThat(result.message()).as("check of %s with %s names the option", spec.name(), b.overrides()).contains(b.field())
                    .doesNotContain("\tat ").doesNotContain("\n");
            assertThat(took).as("check of %s with %s took %s", spec.name(), b.overrides(), took).isLessThan(CHECK_LIMIT);
        }
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::getMessage).toList();
    }
}
