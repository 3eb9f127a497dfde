package dev.caravan.config;

import org.quartz.CronExpression;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** When a connection syncs: only on request, every fixed interval, or on a Quartz cron expression in a time zone. */
public sealed interface Schedule permits Schedule.Manual, Schedule.Interval, Schedule.Cron {

    /** The schedule of a connection that does not say otherwise. */
    Manual MANUAL = new Manual();

    /** The time zone of a cron schedule that does not say otherwise. */
    ZoneId DEFAULT_TIMEZONE = ZoneId.of("UTC");

    /** The value written under {@code schedule:} — the text {@code manual} or a map — which parses back to this schedule. */
    Object toYamlValue();

    /** Syncs only when asked (API, CLI). */
    record Manual() implements Schedule {
        @Override
        public Object toYamlValue() {
            return "manual";
        }
    }

    /** Syncs every {@code every}, a whole number of seconds, at least one. */
    record Interval(Duration every) implements Schedule {
        public Interval {
            Objects.requireNonNull(every, "every");
            if (every.compareTo(Duration.ofSeconds(1)) < 0 || every.getNano() != 0) {
                throw new IllegalArgumentException("an interval must be a whole number of seconds, at least 1s: " + every);
            }
        }

        /** The interval in the largest unit that divides it evenly: {@code 90s}, {@code 15m}, {@code 6h}, {@code 1d}. */
        public String text() {
            long seconds = every.getSeconds();
            if (seconds % 86_400 == 0) {
                return seconds / 86_400 + "d";
            }
            if (seconds % 3_600 == 0) {
                return seconds / 3_600 + "h";
            }
            if (seconds % 60 == 0) {
                return seconds / 60 + "m";
            }
            return seconds + "s";
        }

        @Override
        public Object toYamlValue() {
            return Map.of("every", text());
        }
    }

    /** Syncs when the Quartz cron {@code expression} fires in {@code timezone}. */
    record Cron(String expression, ZoneId timezone) implements Schedule {
        public Cron {
            Objects.requireNonNull(expression, "expression");
            Objects.requireNonNull(timezone, "timezone");
            if (!CronExpression.isValidExpression(expression)) {
                throw new IllegalArgumentException("not a valid Quartz cron expression: " + expression);
            }
        }

        @Override
        public Object toYamlValue() {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("cron", expression);
            value.put("timezone", timezone.getId());
            return value;
        }
    }
}
