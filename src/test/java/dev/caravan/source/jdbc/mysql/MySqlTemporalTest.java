package dev.caravan.source.jdbc.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.jdbc.ValueReader;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** MySQL's date and time text: valid values parse exactly, zero dates and out-of-day times are unrepresentable. */
class MySqlTemporalTest {
    @Test
    void validValuesParseExactly() {
        assertThat(MySqlTemporal.date("2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(MySqlTemporal.dateTime("2024-02-29 13:45:30.123456")).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000));
        assertThat(MySqlTemporal.dateTime("2024-02-29 13:45:30")).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 45, 30));
        assertThat(MySqlTemporal.dateTime("2024-02-29 13:45:30.1")).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 45, 30, 100_000_000));
        assertThat(MySqlTemporal.time("00:00:00")).isEqualTo(LocalTime.MIDNIGHT);
        assertThat(MySqlTemporal.time("23:59:59.999999")).isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));
        assertThat(MySqlTemporal.date(null)).isNull();
    }

    @Test
    void consecutiveValuesOfTheSameOrAnotherDayParseExactly() {
        String[] texts = {"2024-01-01 23:59:59", "2024-01-01 00:00:00.5", "2024-01-02 00:00:00", "0000-00-00 00:00:00",
            "2024-01-02 12:00:00.123456789", "2024-01-01 12:00:00", "2024-01-01", "2024-01-01 12:00:00.1234567890", "2024-02-30 10:00:00"};
        Object[] expected = {LocalDateTime.of(2024, 1, 1, 23, 59, 59), LocalDateTime.of(2024, 1, 1, 0, 0, 0, 500_000_000),
            LocalDateTime.of(2024, 1, 2, 0, 0), ValueReader.UNREPRESENTABLE, LocalDateTime.of(2024, 1, 2, 12, 0, 0, 123_456_789),
            LocalDateTime.of(2024, 1, 1, 12, 0), LocalDateTime.of(2024, 1, 1, 0, 0), ValueReader.UNREPRESENTABLE, ValueReader.UNREPRESENTABLE};
        for (int i = 0; i < texts.length; i++) {
            assertThat(MySqlTemporal.dateTime(texts[i])).as(texts[i]).isEqualTo(expected[i]);
        }
    }

    @Test
    void zeroDatesAndOutOfDayTimesAreUnrepresentable() {
        for (String text : new String[] {"0000-00-00", "2024-00-15", "2024-02-30", "2024-13-01", "garbage"}) {
            assertThat(MySqlTemporal.date(text)).as(text).isSameAs(ValueReader.UNREPRESENTABLE);
        }
        assertThat(MySqlTemporal.dateTime("0000-00-00 00:00:00")).isSameAs(ValueReader.UNREPRESENTABLE);
        assertThat(MySqlTemporal.dateTime("2024-01-01 24:00:00")).isSameAs(ValueReader.UNREPRESENTABLE);
        for (String text : new String[] {"-838:59:59", "838:59:59", "24:00:00", "-00:00:01", "12:00"}) {
            assertThat(MySqlTemporal.time(text)).as(text).isSameAs(ValueReader.UNREPRESENTABLE);
        }
    }
}
