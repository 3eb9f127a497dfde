package dev.caravan.config;

import dev.caravan.spi.SyncMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The records reject what the parser reports: building one by hand cannot bypass validation. */
class ConfigRecordsTest {
    private static final ConfiguredStream USERS = ConfiguredStream.of("users");

    @Test
    void sourceSettingsAreDeepImmutableCopiesWithNormalizedNumbers() {
        Map<String, Object> nested = new HashMap<>(Map.of("k", 1L));
        List<Object> list = new ArrayList<>(List.of(nested));
        Map<String, Object> settings = new HashMap<>(Map.of("list", list, "short", (short) 3, "float", 1.5f));

        SourceConfig source = new SourceConfig("s", "faker", settings);
        settings.put("added", 1);
        list.add("added");
        nested.put("added", 1);

        assertThat(source.config()).isEqualTo(Map.of("list", List.of(Map.of("k", 1)), "short", 3, "float", 1.5));
        assertThatThrownBy(() -> source.config().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) source.config().get("list")).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new SourceConfig("s", "faker", Map.of("n", 7L))).isEqualTo(new SourceConfig("s", "faker", Map.of("n", 7)));
    }

    @Test
    void sourceAndDestinationRejectProgrammingErrors() {
        assertThatThrownBy(() -> new SourceConfig("Bad", "faker", Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source name 'Bad'");
        assertThatThrownBy(() -> new SourceConfig("s", " ", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DestinationConfig("d", "local", null)).isInstanceOf(NullPointerException.class);
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThatThrownBy(() -> new DestinationConfig("d", "local", withNull)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DestinationConfig("d", "local", Map.of("k", new Object()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DestinationConfig("d", "local", Map.of("k", Double.NaN))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamInvariants() {
        assertThatThrownBy(() -> new ConfiguredStream("s", SyncMode.INCREMENTAL_APPEND, null, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfiguredStream("s", SyncMode.INCREMENTAL_APPEND_DEDUPED, "u", List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfiguredStream("s", SyncMode.INCREMENTAL_APPEND, "u", List.of(), List.of("id")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfiguredStream("s", SyncMode.FULL_REFRESH_APPEND, null, List.of("id"), List.of("name")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfiguredStream("s", SyncMode.FULL_REFRESH_APPEND, null, List.of("id", "id"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfiguredStream.of("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfiguredStream("s", null, null, List.of(), List.of())).isInstanceOf(NullPointerException.class);
    }

    @Test
    void connectionInvariants() {
        Schedule every = new Schedule.Interval(Duration.ofHours(1));
        assertThat(new ConnectionConfig("c", "s", "d", "a/b", "p_", true, every, List.of(USERS)).stream("users")).contains(USERS);
        assertThatThrownBy(() -> new ConnectionConfig("c", "s", "d", "../x", "", true, every, List.of(USERS)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionConfig("c", "s", "d", "", "a/b", true, every, List.of(USERS)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionConfig("c", "S", "d", "", "", true, every, List.of(USERS)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionConfig("c", "s", "d", "", "", true, every, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionConfig("c", "s", "d", "", "", true, every, List.of(USERS, USERS)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionConfig("c", "s", "d", "", "", true, null, List.of(USERS)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void documentNamesAreUnique() {
        SourceConfig source = new SourceConfig("s", "faker", Map.of());
        assertThatThrownBy(() -> new CaravanConfig(List.of(source, source), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two sources are named s");
    }
}
