package dev.caravan.destination.parquet;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/** Writers of DATE (days), TIME (micros of the day) and the two TIMESTAMP kinds (micros since the epoch). */
final class TimeWriters {
    /** Seconds whose micros, plus up to 999,999, still fit a long (about ±292,000 years). */
    private static final long MAX_MICROS_SECONDS = Long.MAX_VALUE / 1_000_000L - 1;
    private static final long MIN_MICROS_SECONDS = Long.MIN_VALUE / 1_000_000L + 1;

    private TimeWriters() {
    }

    /** Sets the writer's value to micros since the epoch; false when they do not fit an INT64. */
    private static boolean setMicros(FieldWriter.LongValueWriter writer, long seconds, int nanos) {
        if (seconds < MIN_MICROS_SECONDS || seconds > MAX_MICROS_SECONDS) {
            return false;
        }
        writer.value = seconds * 1_000_000L + nanos / 1_000;
        return true;
    }

    static final class DateWriter extends FieldWriter.IntValueWriter {
        DateWriter(String name) {
            super(name);
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.INT32, LogicalTypeAnnotation.dateType(), name);
        }

        @Override
        boolean accept(Object v) {
            if (v instanceof LocalDate date) {
                long day = date.toEpochDay();
                value = (int) day;
                return value == day;
            }
            return false;
        }
    }

    static final class TimeWriter extends FieldWriter.LongValueWriter {
        TimeWriter(String name) {
            super(name);
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.INT64, LogicalTypeAnnotation.timeType(false, TimeUnit.MICROS), name);
        }

        @Override
        boolean accept(Object v) {
            if (v instanceof LocalTime time) {
                value = time.toNanoOfDay() / 1_000;
                return true;
            }
            return false;
        }
    }

    /** TIMESTAMP without zone: the wall-clock time, stored as micros since 1970-01-01T00:00 and not adjusted to UTC. */
    static final class TimestampWriter extends FieldWriter.LongValueWriter {
        /** Rows come in runs of the same day (cursor order): its epoch seconds are computed once per run. */
        private LocalDate day;
        private long daySeconds;

        TimestampWriter(String name) {
            super(name);
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.INT64, LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS), name);
        }

        @Override
        boolean accept(Object v) {
            if (!(v instanceof LocalDateTime t)) {
                return false;
            }
            LocalDate date = t.toLocalDate();
            if (!date.equals(day)) {
                day = date;
                daySeconds = date.toEpochDay() * 86_400L;
            }
            return setMicros(this, daySeconds + t.toLocalTime().toSecondOfDay(), t.getNano());
        }
    }

    static final class TimestampTzWriter extends FieldWriter.LongValueWriter {
        TimestampTzWriter(String name) {
            super(name);
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.INT64, LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS), name);
        }

        @Override
        boolean accept(Object v) {
            Instant instant;
            if (v instanceof Instant i) {
                instant = i;
            } else if (v instanceof OffsetDateTime t) {
                instant = t.toInstant();
            } else if (v instanceof ZonedDateTime t) {
                instant = t.toInstant();
            } else {
                return false;
            }
            return setMicros(this, instant.getEpochSecond(), instant.getNano());
        }
    }
}
