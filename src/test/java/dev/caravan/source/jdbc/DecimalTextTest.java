package dev.caravan.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalTextTest {

    private static BigDecimal parse(String text) {
        return DecimalText.parse(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void simpleDecimalsReadAsBigDecimalReadsThemScaleIncluded() {
        for (String text : List.of("0", "-0", "0.00", "-0.00", "1", "-1", "12.30", "-12.30", "0.001", "123456789012345678",
                "-123456789012345678", "99999999999999999.9", "0.00000000000000001", "1234567890.12345678", "10", "100.0")) {
            BigDecimal expected = new BigDecimal(text);
            assertThat(parse(text)).as(text).isEqualTo(expected);
            assertThat(parse(text).scale()).as(text).isEqualTo(expected.scale());
        }
    }

    @Test
    void anythingElseIsLeftToTheGeneralPath() {
        for (String text : List.of("", "-", ".", "1.", ".5", "-.5", "1.2.3", "NaN", "Infinity", "-Infinity", "1e5", "+1", " 1", "1 ",
                "1234567890123456789", "-1234567890123456789", "0.1234567890123456789", "12345678901234567890.5")) {
            assertThat(parse(text)).as("'%s'", text).isNull();
        }
        // numeric 12.30 in PostgreSQL's binary format: a digit count, weight, sign, display scale, base-10000 digits
        assertThat(DecimalText.parse(new byte[] {0, 2, 0, 0, 0, 0, 0, 2, 0, 12, 11, (byte) 184})).isNull();
    }

    @Test
    void randomDecimalsRoundTripThroughTheirText() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < 100_000; n++) {
            long unscaled = random.nextLong() / (1L << random.nextInt(1, 64));
            BigDecimal value = BigDecimal.valueOf(unscaled, random.nextInt(0, 19));
            String text = value.toPlainString();
            BigDecimal parsed = parse(text);
            if (text.replace("-", "").replace(".", "").length() <= 18) {
                assertThat(parsed).as(text).isEqualTo(new BigDecimal(text));
            } else {
                assertThat(parsed).as(text).isNull();
            }
        }
    }
}
