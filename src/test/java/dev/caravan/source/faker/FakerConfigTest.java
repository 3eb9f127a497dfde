package dev.caravan.source.faker;

import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.caravan.source.faker.FakerTesting.SOURCE;
import static dev.caravan.source.faker.FakerTesting.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FakerConfigTest {

    @Test
    void specDeclaresTheSourceAndItsOptionsOnce() {
        ConnectorSpec spec = SOURCE.spec();
        assertThat(spec.name()).isEqualTo("faker");
        assertThat(spec.kind()).isEqualTo(ConnectorSpec.ConnectorKind.SOURCE);
        assertThat(spec.title()).isEqualTo("Sample data (faker)");
        assertThat(spec.optionNames()).containsExactly("count", "seed", "start_date");
        assertThat(spec.secretNames()).isEmpty();
        assertThat(spec.options()).allSatisfy(o -> assertThat(o.description()).isNotBlank());
        ConfigOption count = spec.options().get(0);
        assertThat(count.type()).isEqualTo(ConfigOption.OptionType.INTEGER);
        assertThat(count.minimum()).isZero();
        assertThat(count.maximum()).isEqualTo(1_000_000_000L);
    }

    @Test
    void everyOptionHasItsDefault() {
        FakerConfig faker = FakerConfig.from(config(Map.of()));

        assertThat(faker.count()).isEqualTo(1000);
        assertThat(faker.seed()).isEqualTo(42);
        assertThat(faker.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(faker.users()).isEqualTo(1000);
        assertThat(faker.products()).isEqualTo(100);
        assertThat(faker.purchases()).isEqualTo(2000);
    }

    @Test
    void readsGivenValues() {
        FakerConfig faker = FakerConfig.from(config(Map.of("count", 7, "seed", -3L, "start_date", "2020-02-29T12:30:00+02:00")));

        assertThat(faker).isEqualTo(new FakerConfig(7, -3, Instant.parse("2020-02-29T10:30:00Z")));
    }

    @Test
    void productsAreATenthOfUsersButAtLeastOneUnlessThereAreNoUsers() {
        assertThat(new FakerConfig(0, 1, Instant.EPOCH).products()).isZero();
        assertThat(new FakerConfig(1, 1, Instant.EPOCH).products()).isEqualTo(1);
        assertThat(new FakerConfig(19, 1, Instant.EPOCH).products()).isEqualTo(1);
        assertThat(new FakerConfig(25, 1, Instant.EPOCH).products()).isEqualTo(2);
        assertThat(new FakerConfig(25, 1, Instant.EPOCH).purchases()).isEqualTo(50);
        assertThat(new FakerConfig(1_000_000_000, 1, Instant.EPOCH).purchases()).isEqualTo(2_000_000_000L);
    }

    @Test
    void updatedAtIsStartDatePlusIdSeconds() {
        FakerConfig faker = new FakerConfig(10, 1, Instant.parse("2024-01-01T00:00:00Z"));

        assertThat(faker.updatedAt(1)).isEqualTo(Instant.parse("2024-01-01T00:00:01Z"));
        assertThat(faker.updatedAt(3600)).isEqualTo(Instant.parse("2024-01-01T01:00:00Z"));
    }

    @Test
    void invalidStartDateNamesKeyValueAndFix() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> FakerConfig.from(config(Map.of("start_date", "yesterday"))));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("start_date");
            assertThat(p.value()).isEqualTo("yesterday");
            assertThat(p.fix()).contains("ISO-8601").contains("2024-01-01T00:00:00Z");
        });
        assertThat(e.getMessage()).contains("start_date", "'yesterday'", "ISO-8601 instant");
    }

    @Test
    void startDateWithoutZoneIsRejected() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> FakerConfig.from(config(Map.of("start_date", "2024-01-01T00:00:00"))));

        assertThat(e.getMessage()).contains("start_date", "'2024-01-01T00:00:00'", "'Z'");
    }

    @Test
    void startDateOutsideFourDigitYearsNamesKeyValueAndFix() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> FakerConfig.from(config(Map.of("start_date", "1850-01-01T00:00:00Z"))));

        assertThat(e.problems()).containsExactly(new ConfigProblem("start_date", "1850-01-01T00:00:00Z",
                "must lie between 1900-01-01T00:00:00Z and 9000-01-01T00:00:00Z, e.g. 2024-01-01T00:00:00Z"));
    }

    @Test
    void countOutOfRangeNamesKeyValueAndFix() {
        assertThatThrownBy(() -> config(Map.of("count", -1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("count: '-1'").hasMessageContaining("between 0 and 1000000000");
        assertThatThrownBy(() -> config(Map.of("count", 1_000_000_001L)))
                .hasMessageContaining("count: '1000000001'").hasMessageContaining("between 0 and 1000000000");
    }

    @Test
    void wrongTypesNameKeyValueAndFix() {
        assertThatThrownBy(() -> config(Map.of("seed", "abc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("seed: 'abc' — must be a whole number");
        assertThatThrownBy(() -> config(Map.of("start_date", 2024)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("start_date: '2024' — must be a string");
    }

    @Test
    void batchSizeIsNotAnOptionAndTheErrorListsTheKnownKeys() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config(Map.of("batch_size", 10)));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("batch_size");
            assertThat(p.fix()).contains("count, seed, start_date");
        });
    }

    @Test
    void reportsAllProblemsAtOnce() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("count", -5);
        raw.put("seed", 1.5);
        raw.put("batch_size", 10);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config(raw));

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder("count", "seed", "batch_size");
    }

    @Test
    void recordConstructorChecksEveryValueAtOnce() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new FakerConfig(-1, 0, Instant.parse("9999-01-01T00:00:00Z")));

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("count", "start_date");
        assertThat(e.problems().get(0).value()).isEqualTo("-1");
        assertThat(e.problems().get(1).value()).isEqualTo("9999-01-01T00:00:00Z");
        assertThatThrownBy(() -> new FakerConfig(1, 0, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void checkSucceedsForValidConfigsAndExplainsInvalidOnes() {
        assertThat(SOURCE.check(config(Map.of()))).isEqualTo(CheckResult.ok());
        assertThat(SOURCE.check(config(Map.of("count", 0, "seed", Long.MIN_VALUE)))).isEqualTo(CheckResult.ok());

        CheckResult failed = SOURCE.check(config(Map.of("start_date", "2024-13-01T00:00:00Z")));
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.message()).contains("start_date", "'2024-13-01T00:00:00Z'", "ISO-8601");
    }

    @Test
    void discoverRejectsAnInvalidConfig() {
        assertThatThrownBy(() -> SOURCE.discover(config(Map.of("start_date", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("start_date: 'soon'");
    }
}
