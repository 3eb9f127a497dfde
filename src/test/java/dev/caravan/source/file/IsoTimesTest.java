package dev.caravan.source.file;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast date-time path gives what the JDK's parsers give, and null (so the caller falls back) for anything else. */
class IsoTimesTest {

    @Test
    void instantsWithOffsetsMatchTheJdk() {
        for (String text : List.of("2026-01-05T10:00:00Z", "2026-01-05T10:00Z", "2026-01-05 10:00:00.5Z", "2024-02-29T23:59:59.123456789+05:30",
                "1969-12-31T23:59:59.999-08:00", "2026-06-30T00:00:00.000001+0200", "2000-01-01T00:00:00+01")) {
            Instant expected = OffsetDateTime.parse(text.replace(' ', 'T').replaceAll("\\+(\\d\\d)(\\d\\d)$", "+$1:$2").replaceAll("\\+(\\d\\d)$", "+$1:00")).toInstant();
            assertThat(IsoTimes.instant(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void localDateTimesMatchTheJdk() {
        assertThat(IsoTimes.localDateTime("2026-01-05T10:00:01.25")).isEqualTo(LocalDateTime.parse("2026-01-05T10:00:01.25"));
        assertThat(IsoTimes.localDateTime("2026-01-05 10:00")).isEqualTo(LocalDateTime.parse("2026-01-05T10:00"));
    }

    @Test
    void anythingElseIsLeftToTheFormatters() {
        for (String text : List.of("2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-01-05T24:00:00Z", "2026-01-05T10:00:60Z",
                "2026-01-05T10:00:00", "2026-01-05T10:00:00+25:00", "2026-01-05T10:00:00.Z", "2026-01-05", "+12026-01-05T10:00:00Z",
                "2026-01-05T10:00:00Zjunk", "2026-01-05T1a:00:00Z")) {
            assertThat(IsoTimes.instant(text)).as(text).isNull();
        }
        assertThat(IsoTimes.localDateTime("2026-01-05T10:00:00Z")).isNull();
    }
}
