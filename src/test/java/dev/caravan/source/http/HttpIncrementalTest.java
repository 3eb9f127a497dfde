package dev.caravan.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.SyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Incremental reads across sync boundaries against {@link TestingHttpApi}'s events: records sharing the last cursor
 * value, records arriving late inside a lookback window, and what happens without a primary key.
 */
class HttpIncrementalTest extends FreshHttpApi {
    private ConnectorConfig events(String primaryKey, String incrementalExtra) throws IOException {
        Path manifest = Files.writeString(dir.resolve("events.yaml"), """
                version: 1
                base_url: http://unused.invalid
                streams:
                  - name: events
                    path: /api/events
                    records: /items
                    %s
                    pagination: {type: offset, param: offset, size_param: limit, size: 2}
                    incremental: {cursor_field: at, request_param: since%s}
                    schema: {properties: {id: {type: integer}, at: {type: string, format: date-time}, kind: {type: string}}}
                """.formatted(primaryKey, incrementalExtra));
        return HttpReads.config(api, Map.of("manifest", manifest.toString()));
    }

    private static HttpReads.Read sync(ConnectorConfig config, Map<String, Object> state) {
        return HttpReads.read(config, "events", SyncMode.INCREMENTAL_APPEND, "at", state);
    }

    @Test
    void recordsSharingTheLastCursorValueAcrossASyncAreReadOnceAndNoneIsMissed() throws IOException {
        ConnectorConfig config = events("primary_key: [id]", "");
        api.event(1, 1, "a");
        api.event(2, 1, "a");
        api.event(3, 2, "a");
        api.event(4, 2, "a");
        HttpReads.Read first = sync(config, Map.of());
        assertThat(first.values("id")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(first.state()).isEqualTo(Map.of("cursor", TestingHttpApi.T0.plusSeconds(120).toString(),
                "keys_at_cursor", List.of(List.of(3L), List.of(4L))));
        api.event(5, 2, "late, at the boundary");
        api.event(6, 3, "new");
        int before = api.requests.size();
        HttpReads.Read second = sync(config, first.state());
        assertThat(second.values("id")).containsExactly(5L, 6L);
        assertThat(api.requests.get(before)).contains("since=" + TestingHttpApi.T0.plusSeconds(120).toString().replace(":", "%3A"));
        assertThat(second.state()).isEqualTo(Map.of("cursor", TestingHttpApi.T0.plusSeconds(180).toString(), "keys_at_cursor", List.of(List.of(6L))));
        assertThat(sync(config, second.state()).values("id")).isEmpty();
        assertThat(second.warnings()).isEmpty();
    }

    @Test
    void pastMaxKeysAtCursorTheNextSyncResumesStrictlyAfterTheCursorAndSaysSo() throws IOException {
        ConnectorConfig config = events("primary_key: [id]", ", max_keys_at_cursor: 1");
        api.event(1, 1, "a");
        api.event(2, 1, "a");
        HttpReads.Read first = sync(config, Map.of());
        assertThat(first.state()).isEqualTo(Map.of("cursor", TestingHttpApi.T0.plusSeconds(60).toString()));
        assertThat(first.warnings()).singleElement().asString().contains("max_keys_at_cursor").contains("is not read");
        api.event(3, 1, "late");
        assertThat(sync(config, first.state()).values("id")).isEmpty();
    }

    @Test
    void withoutAPrimaryKeyTheNextSyncResumesStrictlyAfterTheCursorAndWarns() throws IOException {
        ConnectorConfig config = events("", "");
        api.event(1, 1, "a");
        HttpReads.Read first = sync(config, Map.of());
        assertThat(first.state()).isEqualTo(Map.of("cursor", TestingHttpApi.T0.plusSeconds(60).toString()));
        assertThat(first.warnings()).singleElement().asString().contains("has no primary key").contains("declare primary_key");
        api.event(2, 1, "late: missed, as the warning says");
        api.event(3, 2, "new");
        assertThat(sync(config, first.state()).values("id")).containsExactly(3L);
    }

    @Test
    void aLookbackWindowReReadsLateRecordsWithoutDuplicatingTheOnesAlreadyRead() throws IOException {
        ConnectorConfig config = events("primary_key: [id]", ", lookback: PT1H");
        api.event(1, 0, "old");
        api.event(2, 100, "a");
        api.event(3, 130, "a");
        HttpReads.Read first = sync(config, Map.of());
        assertThat(first.values("id")).containsExactly(1L, 2L, 3L);
        assertThat(first.state()).isEqualTo(Map.of("cursor", TestingHttpApi.T0.plusSeconds(130 * 60).toString(), "window",
                List.of(List.of(TestingHttpApi.T0.plusSeconds(100 * 60).toString(), 2L), List.of(TestingHttpApi.T0.plusSeconds(130 * 60).toString(), 3L))));
        api.event(4, 110, "late, inside the hour");
        api.event(5, 20, "late, outside the hour: not read");
        api.event(6, 140, "new");
        int before = api.requests.size();
        HttpReads.Read second = sync(config, first.state());
        assertThat(second.values("id")).containsExactly(4L, 6L);
        assertThat(api.requests.get(before)).contains("since=" + TestingHttpApi.T0.plusSeconds(70 * 60).toString().replace(":", "%3A"));
        assertThat(sync(config, second.state()).values("id")).isEmpty();
    }

    @Test
    void aLookbackWindowWithoutAPrimaryKeyDeliversTheWindowAgainAndWarns() throws IOException {
        ConnectorConfig config = events("", ", lookback: PT1H");
        api.event(1, 0, "a");
        api.event(2, 30, "a");
        HttpReads.Read first = sync(config, Map.of());
        assertThat(first.warnings()).singleElement().asString().contains("re-reads the lookback window").contains("incremental_append_deduped");
        assertThat(sync(config, first.state()).values("id")).containsExactly(1L, 2L);
    }
}
