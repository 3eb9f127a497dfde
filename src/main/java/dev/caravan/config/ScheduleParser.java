package dev.caravan.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.ConfigProblem;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code schedule:} — {@code manual}, {@code {every: 6h}} or {@code {cron: "...", timezone: ...}} — recording problems. */
final class ScheduleParser {
    static final String FORMS = "use manual, {every: 6h} or {cron: \"0 0/15 * * * ?\", timezone: UTC}";
    static final String DURATION_RULE = "use a whole number followed by s, m, h or d, e.g. 90s, 15m, 6h or 1d";
    static final String CRON_RULE = "use Quartz cron syntax: seconds minutes hours day-of-month month day-of-week [year],"
            + " with '?' in day-of-month or day-of-week, e.g. \"0 0/15 * * * ?\"";
    static final String TIMEZONE_RULE = "is not a known time zone; use a region id such as UTC or Europe/Paris";

    private static final List<String> KEYS = List.of("every", "cron", "timezone");
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

    private ScheduleParser() {
    }

    /** The schedule, {@link Schedule#MANUAL} when {@code node} is null, or null after recording problems. */
    static Schedule parse(JsonNode node, String path, List<ConfigProblem> problems) {
        if (node == null) {
            return Schedule.MANUAL;
        }
        if (node.isTextual()) {
            if (node.textValue().equals("manual")) {
                return Schedule.MANUAL;
            }
            problems.add(new ConfigProblem(path, node.textValue(), FORMS));
            return null;
        }
        if (!node.isObject()) {
            problems.add(new ConfigProblem(path, YamlMap.shown(node), FORMS));
            return null;
        }
        int before = problems.size();
        YamlMap map = YamlMap.of(node, path, problems).orElseThrow();
        map.allowOnly(KEYS);
        boolean hasEvery = map.get("every") != null;
        boolean hasCron = map.get("cron") != null;
        Schedule schedule = null;
        if (hasEvery && hasCron) {
            problems.add(new ConfigProblem(path, null, "set either every or cron, not both"));
        } else if (hasEvery) {
            if (map.get("timezone") != null) {
                problems.add(new ConfigProblem(map.path("timezone"), YamlMap.shown(map.get("timezone")),
                        "applies only to cron schedules; remove it"));
            }
            schedule = interval(map.get("every"), map.path("every"), problems).orElse(null);
        } else if (hasCron) {
            schedule = cron(map, problems).orElse(null);
        } else {
            problems.add(new ConfigProblem(path, null, "set every (e.g. every: 6h) or cron (e.g. cron: \"0 0/15 * * * ?\")"));
        }
        return problems.size() > before ? null : schedule;
    }

    private static Optional<Schedule> interval(JsonNode every, String path, List<ConfigProblem> problems) {
        Matcher matcher = DURATION.matcher(every.isTextual() ? every.textValue() : "");
        if (!matcher.matches()) {
            problems.add(new ConfigProblem(path, YamlMap.shown(every), DURATION_RULE));
            return Optional.empty();
        }
        Duration duration;
        try {
            long amount = Long.parseLong(matcher.group(1));
            long unitSeconds = switch (matcher.group(2)) {
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3_600;
                default -> 86_400;
            };
            duration = Duration.ofSeconds(Math.multiplyExact(amount, unitSeconds));
        } catch (NumberFormatException | ArithmeticException e) {
            problems.add(new ConfigProblem(path, every.textValue(), "is too long; use a shorter interval, e.g. 1d"));
            return Optional.empty();
        }
        if (duration.isZero()) {
            problems.add(new ConfigProblem(path, every.textValue(), "must be at least 1s"));
            return Optional.empty();
        }
        return Optional.of(new Schedule.Interval(duration));
    }

    private static Optional<Schedule> cron(YamlMap map, List<ConfigProblem> problems) {
        String expression = map.string("cron", null);
        String zoneText = map.string("timezone", null);
        boolean valid = expression != null;
        if (expression != null) {
            try {
                CronExpression.validateExpression(expression);
            } catch (ParseException e) {
                problems.add(new ConfigProblem(map.path("cron"), expression,
                        "is not a valid Quartz cron expression (" + e.getMessage() + "); " + CRON_RULE));
                valid = false;
            }
        }
        ZoneId zone = Schedule.DEFAULT_TIMEZONE;
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                problems.add(new ConfigProblem(map.path("timezone"), zoneText, TIMEZONE_RULE));
                valid = false;
            }
        }
        return valid ? Optional.of(new Schedule.Cron(expression, zone)) : Optional.empty();
    }
}
