package dev.caravan.config;

import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorSpec;
import org.junit.jupiter.api.Test;

import static dev.caravan.config.ConfigFixtures.DESTINATION_SPECS;
import static dev.caravan.config.ConfigFixtures.SOURCE_SPECS;
import static dev.caravan.config.ConfigFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The connector validation hook: each config is checked against its connector's spec, problems merged. */
class ConfigParserConnectorSpecTest {
    private final ConfigParser parser = new ConfigParser(SOURCE_SPECS, DESTINATION_SPECS);

    @Test
    void unknownConnectorsAreReported() {
        assertThat(problems(parser, """
                sources: [{name: s, connector: fakr}]
                destinations: [{name: d, connector: s3}]
                """)).containsExactly(
                new ConfigProblem("sources[0].connector", "fakr", "unknown source connector 'fakr'; use the name of an installed source connector"),
                new ConfigProblem("destinations[0].connector", "s3",
                        "unknown destination connector 's3'; use the name of an installed destination connector"));
    }

    @Test
    void specProblemsAreMergedWithThePathOfTheConfig() {
        assertThat(problems(parser, """
                sources:
                  - {name: f, connector: faker, config: {count: 0, colour: red}}
                  - {name: p, connector: postgres, config: {host: db}}
                destinations:
                  - {name: d, connector: local}
                connections:
                  - {name: c, source: f, destination: nowhere, streams: [{name: users}]}
                """)).containsExactly(
                new ConfigProblem("sources[0].config.colour", null, "unknown key for connector 'faker'; known keys: seed, count"),
                new ConfigProblem("sources[0].config.count", "0", "must be between 1 and 1000000"),
                new ConfigProblem("sources[1].config.user", null, "is required: database user"),
                new ConfigProblem("sources[1].config.password", null, "is required: database password"),
                new ConfigProblem("destinations[0].config.path", null, "is required: folder the files are written to"),
                new ConfigProblem("connections[0].destination", "nowhere",
                        "is not a declared destination; declare it under destinations or use one of: d"));
    }

    @Test
    void secretValuesNeverAppearInProblems() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parser.parse("""
                sources:
                  - name: p
                    connector: postgres
                    config: {host: db, user: u, password: 1234567}
                destinations:
                  - {name: d, connector: local, config: {path: ./lake, access_key: [AKIA42SECRET]}}
                """, "t.yaml"));

        assertThat(e.problems()).containsExactly(
                new ConfigProblem("sources[0].config.password", ConnectorSpec.MASK, "must be a string: put it in quotes"),
                new ConfigProblem("destinations[0].config.access_key", ConnectorSpec.MASK, "must be a string"));
        assertThat(e.getMessage()).doesNotContain("1234567").doesNotContain("AKIA42SECRET");
    }

    @Test
    void validConfigsKeepTheRawSettings() {
        CaravanConfig config = parser.parse("""
                sources: [{name: f, connector: faker, config: {seed: 42}}]
                destinations: [{name: d, connector: local, config: {path: ./lake}}]
                """, "t.yaml");

        assertThat(config.sources().get(0).config()).containsExactly(java.util.Map.entry("seed", 42));
    }

    @Test
    void withoutSpecsAnyConnectorAndSettingIsAccepted() {
        CaravanConfig config = new ConfigParser().parse("sources: [{name: s, connector: anything, config: {x: 1}}]\n", "t.yaml");

        assertThat(config.sources()).extracting(SourceConfig::connector).containsExactly("anything");
    }
}
