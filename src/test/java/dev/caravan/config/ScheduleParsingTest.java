package dev.caravan.config;

import dev.caravan.spi.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.caravan.config.ConfigFixtures.connection;
import static dev.caravan.config.ConfigFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleParsingTest {
    static final String FORMS = "use manual, {every: 6h} or {cron: \"0 0/15 * * * ?\", timezone: UTC}";
    static final String DURATION_RULE = "use a whole number followed by s, m, h or d, e.g. 90s, 15m, 6h or 1d";
    static final String CRON_RULE = "use Quartz cron syntax: seconds minutes hours day-of-month month day-of-week [year],"
            + " with '?' in day-of-month or day-of-week, e.g. \"0 0/15 * * * ?\"";

    private static String withSchedule(String schedule) {
        return connection("name: c\nsource: faker-demo\ndestination: local-lake\nschedule: " + schedule + "\nstreams: [{name: users}]");
    }

    private static Schedule parse(String schedule) {
        return new ConfigParser().parse(withSchedule(schedule), "t.yaml").connections().get(0).schedule();
    }

    @Test
    void manual() {
        assertThat(parse("manual")).isEqualTo(Schedule.MANUAL).isEqualTo(new Schedule.Manual());
    }

    @ParameterizedTest
    @CsvSource({"1s, 1", "90s, 90", "15m, 900", "6h, 21600", "1d, 86400", "36h, 129600"})
    void intervals(String text, long seconds) {
        assertThat(parse("{every: " + text + "}")).isEqualTo(new Schedule.Interval(Duration.ofSeconds(seconds)));
    }

    @Test
    void cronDefaultsToUtc() {
        assertThat(parse("{cron: \"0 0/15 * * * ?\"}")).isEqualTo(new Schedule.Cron("0 0/15 * * * ?", ZoneId.of("UTC")));
    }

    @Test
    void cronWithTimezone() {
        assertThat(parse("{cron: \"0 30 2 ? * MON-FRI\", timezone: Europe/Paris}"))
                .isEqualTo(new Schedule.Cron("0 30 2 ? * MON-FRI", ZoneId.of("Europe/Paris")));
        assertThat(parse("{cron: \"0 0 * * * ? 2030\", timezone: \"+02:00\"}"))
                .isEqualTo(new Schedule.Cron("0 0 * * * ? 2030", ZoneOffset.ofHours(2)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"6 hours", "6H", "1.5h", "-1h", "h", "6", "1w", "PT6H"})
    void badDurations(String text) {
        assertThat(problems(withSchedule("{every: \"" + text + "\"}")))
                .containsExactly(new ConfigProblem("connections[0].schedule.every", text, DURATION_RULE));
    }

    @Test
    void durationsOutOfRange() {
        assertThat(problems(withSchedule("{every: 30}")))
                .containsExactly(new ConfigProblem("connections[0].schedule.every", "30", DURATION_RULE));
        assertThat(problems(withSchedule("{every: 0s}")))
                .containsExactly(new ConfigProblem("connections[0].schedule.every", "0s", "must be at least 1s"));
        assertThat(problems(withSchedule("{every: 0d}")))
                .containsExactly(new ConfigProblem("connections[0].schedule.every", "0d", "must be at least 1s"));
        assertThat(problems(withSchedule("{every: 99999999999999999999s}"))).containsExactly(new ConfigProblem(
                "connections[0].schedule.every", "99999999999999999999s", "is too long; use a shorter interval, e.g. 1d"));
        assertThat(problems(withSchedule("{every: 999999999999999d}"))).containsExactly(new ConfigProblem(
                "connections[0].schedule.every", "999999999999999d", "is too long; use a shorter interval, e.g. 1d"));
    }

    @Test
    void scheduleForms() {
        assertThat(problems(withSchedule("hourly"))).containsExactly(new ConfigProblem("connections[0].schedule", "hourly", FORMS));
        assertThat(problems(withSchedule("5"))).containsExactly(new ConfigProblem("connections[0].schedule", "5", FORMS));
        assertThat(problems(withSchedule("[6h]"))).containsExactly(new ConfigProblem("connections[0].schedule", null, FORMS));
        assertThat(problems(withSchedule("{every: 6h, cron: \"0 0 * * * ?\"}"))).containsExactly(
                new ConfigProblem("connections[0].schedule", null, "set either every or cron, not both"));
        assertThat(problems(withSchedule("{timezone: UTC}"))).containsExactly(new ConfigProblem("connections[0].schedule", null,
                "set every (e.g. every: 6h) or cron (e.g. cron: \"0 0/15 * * * ?\")"));
        assertThat(problems(withSchedule("{every: 6h, timezone: UTC}"))).containsExactly(
                new ConfigProblem("connections[0].schedule.timezone", "UTC", "applies only to cron schedules; remove it"));
        assertThat(problems(withSchedule("{every: 6h, at: 3}"))).containsExactly(
                new ConfigProblem("connections[0].schedule.at", null, "unknown key 'at'; known keys: every, cron, timezone"));
    }

    @Test
    void invalidCronIncludesQuartzMessage() {
        assertThat(problems(withSchedule("{cron: \"0 0/15 * * *\"}"))).containsExactly(new ConfigProblem("connections[0].schedule.cron",
                "0 0/15 * * *", "is not a valid Quartz cron expression (Unexpected end of expression.); " + CRON_RULE));
        assertThat(problems(withSchedule("{cron: \"0 0 25 * * ?\"}"))).containsExactly(new ConfigProblem("connections[0].schedule.cron",
                "0 0 25 * * ?", "is not a valid Quartz cron expression (Hour values must be between 0 and 23); " + CRON_RULE));
        assertThat(problems(withSchedule("{cron: 15}"))).containsExactly(
                new ConfigProblem("connections[0].schedule.cron", "15", "must be a string, not a number; put it in quotes"));
    }

    @Test
    void unknownTimezone() {
        assertThat(problems(withSchedule("{cron: \"0 0 * * * ?\", timezone: Mars/Olympus_Mons}"))).containsExactly(new ConfigProblem(
                "connections[0].schedule.timezone", "Mars/Olympus_Mons", "is not a known time zone; use a region id such as UTC or Europe/Paris"));
    }

    @ParameterizedTest
    @CsvSource({"1, 1s", "90, 90s", "120, 2m", "5400, 90m", "3600, 1h", "129600, 36h", "172800, 2d"})
    void intervalsRenderInTheLargestEvenUnit(long seconds, String text) {
        Schedule.Interval interval = new Schedule.Interval(Duration.ofSeconds(seconds));

        assertThat(interval.text()).isEqualTo(text);
        assertThat(interval.toYamlValue()).isEqualTo(Map.of("every", text));
    }

    @Test
    void yamlValues() {
        assertThat(Schedule.MANUAL.toYamlValue()).isEqualTo("manual");
        assertThat(new Schedule.Cron("0 0 * * * ?", ZoneId.of("Europe/Paris")).toYamlValue())
                .isEqualTo(Map.of("cron", "0 0 * * * ?", "timezone", "Europe/Paris"));
    }

    @Test
    void recordsRejectWhatTheParserWouldReport() {
        assertThatThrownBy(() -> new Schedule.Interval(Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Schedule.Interval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Schedule.Cron("0 0 * * *", ZoneId.of("UTC"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Schedule.Cron("0 0 * * * ?", null)).isInstanceOf(NullPointerException.class);
        assertThat(List.of(Schedule.MANUAL, new Schedule.Interval(Duration.ofHours(1)))).doesNotHaveDuplicates();
    }
}
