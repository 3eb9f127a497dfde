package dev.caravan.source.faker;

import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The validated settings of the faker source. {@code count} users, {@code max(1, count/10)} products
 * (none when count is 0) and {@code 2*count} purchases; every value is a function of (seed, stream, id),
 * and the cursor {@code updated_at} of row {@code id} is {@code start_date + id} seconds.
 */
public record FakerConfig(long count, long seed, Instant startDate) {

    public static final long MAX_COUNT = 1_000_000_000L;
    /** Keeps every generated date (birthdays ~80 years before, cursors up to ~64 years after) in four-digit years. */
    static final Instant EARLIEST_START = Instant.parse("1900-01-01T00:00:00Z");
    static final Instant LATEST_START = Instant.parse("9000-01-01T00:00:00Z");

    public static final ConfigOption COUNT = ConfigOption.integer("count")
            .withDefault(1000L)
            .withRange(0, MAX_COUNT)
            .withDescription("Number of users to generate; products = max(1, count/10) (0 when count is 0), purchases = 2*count. "
                    + "Raising it later makes the next incremental sync return only the new rows.");
    public static final ConfigOption SEED = ConfigOption.integer("seed")
            .withDefault(42L)
            .withDescription("Seed of the generator: the same seed gives the same rows on every run.");
    public static final ConfigOption START_DATE = ConfigOption.string("start_date")
            .withDefault("2024-01-01T00:00:00Z")
            .withDescription("ISO-8601 instant all timestamps are based on: updated_at of row id is start_date + id seconds.");

    public static final List<ConfigOption> OPTIONS = List.of(COUNT, SEED, START_DATE);

    public FakerConfig {
        Objects.requireNonNull(startDate, "startDate");
        List<ConfigProblem> problems = new ArrayList<>();
        checkCount(count, problems);
        checkStartDate(startDate, startDate.toString(), problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Reads a config validated by {@link FakerSource#spec()}; reports every remaining problem at once. */
    public static FakerConfig from(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        long count = config.integer(COUNT.name());
        checkCount(count, problems);
        String rawStart = config.string(START_DATE.name());
        Instant startDate = parseStartDate(rawStart, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new FakerConfig(count, config.integer(SEED.name()), startDate);
    }

    public long users() {
        return count;
    }

    public long products() {
        return count == 0 ? 0 : Math.max(1, count / 10);
    }

    public long purchases() {
        return 2 * count;
    }

    /** The cursor of row {@code id} in every stream: strictly increasing with id. */
    public Instant updatedAt(long id) {
        return startDate.plusSeconds(id);
    }

    private static void checkCount(long count, List<ConfigProblem> problems) {
        if (count < 0 || count > MAX_COUNT) {
            problems.add(new ConfigProblem(COUNT.name(), Long.toString(count),
                    "must be a number of users between 0 and " + MAX_COUNT));
        }
    }

    private static Instant parseStartDate(String raw, List<ConfigProblem> problems) {
        if (raw == null) {
            problems.add(new ConfigProblem(START_DATE.name(), null,
                    "is missing; set an ISO-8601 instant such as " + START_DATE.defaultValue()));
            return null;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(raw.strip());
        } catch (DateTimeParseException e) {
            problems.add(new ConfigProblem(START_DATE.name(), raw,
                    "is not an ISO-8601 instant; write it as date, 'T', time and 'Z', e.g. " + START_DATE.defaultValue()));
            return null;
        }
        return checkStartDate(parsed, raw, problems) ? parsed : null;
    }

    private static boolean checkStartDate(Instant startDate, String shown, List<ConfigProblem> problems) {
        if (startDate.isBefore(EARLIEST_START) || startDate.isAfter(LATEST_START)) {
            problems.add(new ConfigProblem(START_DATE.name(), shown,
                    "must lie between " + EARLIEST_START + " and " + LATEST_START + ", e.g. " + START_DATE.defaultValue()));
            return false;
        }
        return true;
    }
}
