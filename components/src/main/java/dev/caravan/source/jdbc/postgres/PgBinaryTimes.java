package dev.caravan.source.jdbc.postgres;

import dev.caravan.source.jdbc.ValueReader;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * timestamp and timestamptz read from PostgreSQL's binary format (microseconds since 2000-01-01 as 8 big-endian bytes)
 * without the driver's calendar objects: a timestamptz becomes an Instant directly, and a timestamp's date is computed
 * once per day of consecutive values (rows in key order mostly share their day with the row before), its time of day
 * per value. ±infinity (the largest and smallest long) are {@link ValueReader#UNREPRESENTABLE}. A value not in the
 * binary format (jdbc_params turned it off: text is never 8 bytes long, except 'infinity') goes the driver's way.
 */
final class PgBinaryTimes {
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    /** Days and seconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01. */
    private static final long EPOCH_DAYS = 10_957;
    private static final long EPOCH_SECONDS = EPOCH_DAYS * 86_400;
    private static final byte[] INFINITY_TEXT = "infinity".getBytes(StandardCharsets.US_ASCII);

    private PgBinaryTimes() {
    }

    /** The last day converted, shared by every reader in the JVM (an immutable pair: a reader sees it whole or not at all). */
    private record Day(long epochDay, LocalDate date) {
    }

    private static volatile Day lastDay = new Day(0, LocalDate.EPOCH);

    static final ValueReader TIMESTAMP = (rs, i) -> read(rs, i, PostgresTypes.TIMESTAMP_VIA_DRIVER, PgBinaryTimes::localDateTime);

    static final ValueReader TIMESTAMP_TZ = (rs, i) -> read(rs, i, PostgresTypes.TIMESTAMP_TZ_VIA_DRIVER, PgBinaryTimes::instant);

    private static Object read(ResultSet rs, int i, ValueReader viaDriver, LongFunction<Object> fromMicros) throws SQLException {
        byte[] binary = binary(rs, i);
        if (binary == null) {
            return viaDriver.read(rs, i);
        }
        long micros = micros(binary);
        return micros == Long.MAX_VALUE || micros == Long.MIN_VALUE ? ValueReader.UNREPRESENTABLE : fromMicros.apply(micros);
    }

    private static LocalDateTime localDateTime(long micros) {
        long epochDay = Math.floorDiv(micros, MICROS_PER_DAY) + EPOCH_DAYS;
        Day day = lastDay;
        if (day.epochDay() != epochDay) {
            day = new Day(epochDay, LocalDate.ofEpochDay(epochDay));
            lastDay = day;
        }
        return LocalDateTime.of(day.date(), LocalTime.ofNanoOfDay(Math.floorMod(micros, MICROS_PER_DAY) * 1_000));
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND) + EPOCH_SECONDS, Math.floorMod(micros, MICROS_PER_SECOND) * 1_000);
    }

    /** The value's 8 bytes in the binary format; null for SQL NULL (read again by the caller: null) or text. */
    private static byte[] binary(ResultSet rs, int i) throws SQLException {
        byte[] value = rs.getBytes(i);
        return value != null && value.length == 8 && !Arrays.equals(value, INFINITY_TEXT) ? value : null;
    }

    private static long micros(byte[] b) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (b[k] & 0xFF);
        }
        return v;
    }
}
