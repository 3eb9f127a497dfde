package dev.caravan.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record filter grammar: comparisons, and/or precedence, numbers, date-times, nulls, config and state values, errors. */
class RecordFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> VALUES = Map.of("config.min", "10", "state.cursor", "2024-01-01T00:00:00Z");

    private static boolean test(String condition, String record) throws Exception {
        JsonNode node = JSON.readTree(record);
        return RecordFilter.parse(condition).test(node, VALUES::get);
    }

    @Test
    void comparesNumbersDateTimesTextsAndNulls() throws Exception {
        assertThat(test("record.n > 9", "{\"n\": 10}")).isTrue();
        assertThat(test("record.n > 9", "{\"n\": \"10\"}")).as("a numeric text against a number compares as numbers").isTrue();
        assertThat(test("record.n >= config.min", "{\"n\": 9.5}")).isFalse();
        assertThat(test("record.at == '2024-01-01T01:00:00+01:00'", "{\"at\": \"2024-01-01T00:00:00Z\"}")).as("instants").isTrue();
        assertThat(test("record.at > state.cursor", "{\"at\": \"2024-01-01T00:00:01Z\"}")).isTrue();
        assertThat(test("record.s < 'b'", "{\"s\": \"abc\"}")).as("texts").isTrue();
        assertThat(test("record.user.login == 'ann'", "{\"user\": {\"login\": \"ann\"}}")).as("nested fields").isTrue();
        assertThat(test("record.flag == true", "{\"flag\": true}")).isTrue();
        assertThat(test("record.gone == null", "{}")).isTrue();
        assertThat(test("record.gone != null", "{\"gone\": null}")).isFalse();
        assertThat(test("record.gone < 5", "{}")).as("an ordering with a null side").isFalse();
        assertThat(test("state.nothing == null", "{}")).as("an unset state value").isTrue();
    }

    @Test
    void andBindsTighterThanOr() throws Exception {
        String condition = "record.a == 1 or record.b == 1 and record.c == 1";
        assertThat(test(condition, "{\"a\": 1, \"b\": 0, \"c\": 0}")).isTrue();
        assertThat(test(condition, "{\"a\": 0, \"b\": 1, \"c\": 0}")).isFalse();
        assertThat(test(condition, "{\"a\": 0, \"b\": 1, \"c\": 1}")).isTrue();
    }

    @Test
    void syntaxErrorsSayWhereAndWhat() {
        assertThatThrownBy(() -> RecordFilter.parse("record.x = 1")).hasMessage("unexpected '= 1' at character 10");
        assertThatThrownBy(() -> RecordFilter.parse("record.x == 1 and")).hasMessageContaining("expected a comparison");
        assertThatThrownBy(() -> RecordFilter.parse("record.x == 1 xor record.y == 2")).hasMessage("expected 'and' or 'or', found 'xor'");
        assertThatThrownBy(() -> RecordFilter.parse("secret.x == 1")).hasMessageContaining("'secret.x' is not record.<field>, config.<option>, state.<key>");
        assertThatThrownBy(() -> RecordFilter.parse("record.x 'a' 1")).hasMessageContaining("expected one of == != < <= > >=");
    }
}
