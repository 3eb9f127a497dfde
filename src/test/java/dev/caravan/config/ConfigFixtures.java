package dev.caravan.config;

import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ConnectorSpec.ConnectorKind;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Small hand-made connector specs and helpers shared by the config tests. */
final class ConfigFixtures {
    static final ConnectorSpec FAKER = new ConnectorSpec("faker", ConnectorKind.SOURCE, "Faker", List.of(
            ConfigOption.integer("seed").withDefault(0L),
            ConfigOption.integer("count").withRange(1, 1_000_000).withDefault(100L)));

    static final ConnectorSpec POSTGRES = new ConnectorSpec("postgres", ConnectorKind.SOURCE, "PostgreSQL", List.of(
            ConfigOption.string("host").asRequired().withDescription("database host name"),
            ConfigOption.integer("port").withDefault(5432L),
            ConfigOption.string("user").asRequired().withDescription("database user"),
            ConfigOption.string("password").asSecret().asRequired().withDescription("database password")));

    static final ConnectorSpec LOCAL = new ConnectorSpec("local", ConnectorKind.DESTINATION, "Local files", List.of(
            ConfigOption.string("path").asRequired().withDescription("folder the files are written to"),
            ConfigOption.string("access_key").asSecret()));

    static final Function<String, Optional<ConnectorSpec>> SOURCE_SPECS =
            name -> Optional.ofNullable(Map.of("faker", FAKER, "postgres", POSTGRES).get(name));
    static final Function<String, Optional<ConnectorSpec>> DESTINATION_SPECS =
            name -> Optional.ofNullable(Map.of("local", LOCAL).get(name));

    /** A document with one valid source and destination, followed by {@code connections}. */
    static final String HEADER = """
            sources:
              - name: faker-demo
                connector: faker
            destinations:
              - name: local-lake
                connector: local
                config: {path: ./lake}
            """;

    private ConfigFixtures() {
    }

    static List<ConfigProblem> problems(String yaml) {
        return problems(new ConfigParser(), yaml);
    }

    static List<ConfigProblem> problems(ConfigParser parser, String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parser.parse(yaml, "test.yaml"));
        if (e == null) {
            throw new AssertionError("expected problems in:\n" + yaml);
        }
        return e.problems();
    }

    /** {@link #HEADER} plus one connection with the given lines (indented under "- ") and its stream lines. */
    static String connection(String connectionLines) {
        return HEADER + "connections:\n  - " + connectionLines.strip().replace("\n", "\n    ") + "\n";
    }
}
