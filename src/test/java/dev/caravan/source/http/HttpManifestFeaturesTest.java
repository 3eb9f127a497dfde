package dev.caravan.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.SyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Manifest features against {@link TestingHttpApi}: POST bodies, state interpolation, record filters, nested substreams, inferred schemas. */
class HttpManifestFeaturesTest extends FreshHttpApi {
    private static final String EVENT_SCHEMA = "schema: {properties: {id: {type: integer}, at: {type: string, format: date-time}, kind: {type: string}}}";
    private ConnectorConfig manifest(String streams, Map<String, Object> extra) throws IOException {
        Path manifest = Files.writeString(dir.resolve("m.yaml"), "version: 1\nbase_url: http://unused.invalid\nstreams:\n" + streams);
        Map<String, Object> values = new LinkedHashMap<>(extra);
        values.put("manifest", manifest.toString());
        return HttpReads.config(api, values);
    }

    @Test
    void aPostSearchSendsItsInterpolatedBodyWithPagesAndTheStateInIt() throws IOException {
        ConnectorConfig config = manifest("""
                  - name: events
                    path: /api/events
                    method: POST
                    body: {since: "{{state.start}}", account: "{{config.account}}", options: {exact: true}}
                    records: /items
                    primary_key: [id]
                    pagination: {type: offset, param: offset, size_param: limit, size: 2, inject: body}
                    incremental: {cursor_field: at}
                """ + "    " + EVENT_SCHEMA + "\n", Map.of("account", "acme"));
        for (int i = 1; i <= 3; i++) {
            api.event(i, i, "a");
        }
        HttpReads.Read first = HttpReads.read(config, "events", SyncMode.INCREMENTAL_APPEND, "at", Map.of());
        assertThat(first.values("id")).containsExactly(1L, 2L, 3L);
        assertThat(api.bodies).containsExactly("{\"account\":\"acme\",\"options\":{\"exact\":true},\"offset\":0,\"limit\":2}",
                "{\"account\":\"acme\",\"options\":{\"exact\":true},\"offset\":2,\"limit\":2}");
        assertThat(api.requests).allMatch(r -> r.equals("POST /api/events"));
        api.bodies.clear();
        api.event(4, 4, "b");
        assertThat(HttpReads.read(config, "events", SyncMode.INCREMENTAL_APPEND, "at", first.state()).values("id")).containsExactly(4L);
        assertThat(api.bodies.get(0)).isEqualTo("{\"since\":\"" + TestingHttpApi.T0.plusSeconds(180) + "\",\"account\":\"acme\",\"options\":{\"exact\":true},"
                + "\"offset\":0,\"limit\":2}");
    }

    @Test
    void stateInterpolatesIntoQueryParametersAndIsLeftOutOnAFirstSync() throws IOException {
        ConnectorConfig config = manifest("""
                  - name: events
                    path: /api/events
                    params: {since: "{{state.start}}", after: "{{state.cursor}}"}
                    records: /items
                    primary_key: [id]
                    incremental: {cursor_field: at, lookback: PT1M}
                """ + "    " + EVENT_SCHEMA + "\n", Map.of());
        api.event(1, 5, "a");
        HttpReads.Read first = HttpReads.read(config, "events", SyncMode.INCREMENTAL_APPEND, "at", Map.of());
        assertThat(api.requests.get(0)).isEqualTo("GET /api/events");
        HttpReads.read(config, "events", SyncMode.INCREMENTAL_APPEND, "at", first.state());
        assertThat(api.requests.get(1)).isEqualTo("GET /api/events?since=" + TestingHttpApi.T0.plusSeconds(240).toString().replace(":", "%3A")
                + "&after=" + TestingHttpApi.T0.plusSeconds(300).toString().replace(":", "%3A"));
    }

    @Test
    void aRecordFilterKeepsTheRecordsItsConditionHolds() throws IOException {
        ConnectorConfig config = manifest("""
                  - name: events
                    path: /api/events
                    records: /items
                    record_filter: "record.kind != 'noise' and record.id >= 3 or record.kind == config.account"
                    pagination: {type: offset, param: offset, size_param: limit, size: 1}
                """ + "    " + EVENT_SCHEMA + "\n", Map.of("account", "vip"));
        api.event(1, 1, "vip");
        api.event(2, 2, "a");
        api.event(3, 3, "noise");
        api.event(4, 4, "a");
        api.events.add(new LinkedHashMap<>(Map.of("id", 5L, "at", TestingHttpApi.T0.plusSeconds(300).toString())));
        assertThat(HttpReads.read(config, "events", SyncMode.FULL_REFRESH_APPEND, null, Map.of()).values("id")).containsExactly(1L, 4L, 5L);
    }

    @Test
    void aSubstreamOfASubstreamKeepsItsStatePerParentPath() throws IOException {
        String github = Files.readString(Path.of("examples/http-manifests/github.yaml"));
        Path manifest = Files.writeString(dir.resolve("github.yaml"), github + """
                  - name: comments
                    path: /repos/{{config.account}}/{{parent.parent.name}}/issues/{{parent.number}}/comments
                    records: ""
                    primary_key: [id]
                    parent: {stream: issues}
                    incremental: {cursor_field: updated_at}
                    schema: {properties: {id: {type: integer}, body: {type: string}, updated_at: {type: string, format: date-time}}}
                """);
        ConnectorConfig config = HttpReads.config(api, Map.of("manifest", manifest.toString(), "token", TestingHttpApi.TOKEN,
                "account", TestingHttpApi.ACCOUNT));
        HttpReads.Read first = HttpReads.read(config, "comments", SyncMode.INCREMENTAL_APPEND, "updated_at", Map.of());
        int issues = TestingHttpApi.REPOS.stream().filter(r -> !r.equals("ghost")).mapToInt(r -> TestingHttpApi.issues(r).size()).sum();
        assertThat(first.values("id")).hasSize(2 * issues).doesNotHaveDuplicates().contains(10010L, 10011L, 40071L);
        assertThat(first.values("body")).contains("comment 1 on delta#7");
        assertThat(first.state()).containsEntry("cursor:2/1006", TestingHttpApi.T0.plusSeconds(3600L * 7 + 1000).toString())
                .containsEntry("keys_at_cursor:2/1006", List.of(List.of(10061L))).hasSize(2 * issues);
        assertThat(HttpReads.read(config, "comments", SyncMode.INCREMENTAL_APPEND, "updated_at", first.state()).values("id")).isEmpty();
    }

    @Test
    void aParentStreamsFilterRemovesThePartitionsOfItsSubstream() throws IOException {
        String github = Files.readString(Path.of("examples/http-manifests/github.yaml"));
        String filtered = github.replaceFirst("    primary_key: \\[id]\n    pagination: \\{type: link}",
                "    primary_key: [id]\n    record_filter: \"record.name != 'beta'\"\n    pagination: {type: link}");
        assertThat(filtered).isNotEqualTo(github);
        Path manifest = Files.writeString(dir.resolve("github.yaml"), filtered);
        ConnectorConfig config = HttpReads.config(api, Map.of("manifest", manifest.toString(), "token", TestingHttpApi.TOKEN,
                "account", TestingHttpApi.ACCOUNT));
        assertThat(HttpReads.read(config, "repositories", SyncMode.FULL_REFRESH_APPEND, null, Map.of()).values("name"))
                .containsExactly("alpha", "gamma", "ghost", "delta");
        List<Object> ids = HttpReads.read(config, "issues", SyncMode.FULL_REFRESH_APPEND, null, Map.of()).values("id");
        assertThat(ids).hasSize(7 + 7 + 7).noneMatch(id -> (Long) id / 1000 == 1);
        assertThat(api.requests).noneMatch(r -> r.contains("/beta/"));
    }

    @Test
    void anEmptySampleOrAKeyMissingFromItIsAConfigurationError() throws IOException {
        ConnectorConfig config = manifest("""
                  - name: events
                    path: /api/events
                    records: /items
                    primary_key: [uid]
                """, Map.of());
        assertThat(new HttpSource().check(config).succeeded()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HttpSource().discover(config))
                .hasMessageContaining("declares no schema and its sample of records is empty");
        api.event(1, 1, "a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HttpSource().discover(config))
                .hasMessageContaining("primary_key 'uid' is not a field of the sampled records [").hasMessageContaining("fix primary_key");
    }

    @Test
    void aStreamWithoutSchemaGetsOneInferredFromASampleWithTypesWidened() throws IOException {
        ConnectorConfig config = manifest("""
                  - name: events
                    path: /api/events
                    records: /items
                    primary_key: [id]
                    schema_sample_size: 3
                    incremental: {cursor_field: at}
                """, Map.of());
        api.events.add(new LinkedHashMap<>(Map.of("id", 1L, "at", TestingHttpApi.T0.toString(), "score", 1, "code", "x", "day", "2024-01-02",
                "tags", List.of("a"))));
        api.events.add(new LinkedHashMap<>(Map.of("id", 2L, "at", TestingHttpApi.T0.plusSeconds(1).toString(), "score", 1.5, "code", 7,
                "day", "2024-01-03", "paid", true)));
        Map<String, Object> third = new LinkedHashMap<>(Map.of("id", 3L, "at", TestingHttpApi.T0.plusSeconds(2).toString(), "paid", false));
        third.put("score", null);
        api.events.add(third);
        api.events.add(new LinkedHashMap<>(Map.of("id", 4L, "at", TestingHttpApi.T0.plusSeconds(3).toString(), "late", "not sampled")));
        CatalogStream stream = new HttpSource().discover(config).streams().get(0);
        assertThat(stream.schema().fields()).containsExactlyInAnyOrder(Field.nullable("id", FieldType.INT64), Field.nullable("at", FieldType.TIMESTAMP_TZ),
                Field.nullable("score", FieldType.FLOAT64), Field.nullable("code", FieldType.STRING), Field.nullable("day", FieldType.DATE),
                Field.nullable("tags", FieldType.JSON), Field.nullable("paid", FieldType.BOOLEAN));
        assertThat(stream.supportedSyncModes()).contains(SyncMode.INCREMENTAL_APPEND_DEDUPED);
        HttpReads.Read read = HttpReads.read(config, "events", SyncMode.INCREMENTAL_APPEND, "at", Map.of());
        assertThat(read.values("id")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(read.values("code")).containsExactly("x", "7", null, null);
    }

    @Test
    void badFeaturesAreRefusedAtLoadNamingTheField() throws IOException {
        ConnectorConfig config = manifest("""
                  - name: a
                    path: /a
                    parent: {stream: b}
                    body: {q: x}
                    record_filter: "record.x = 1"
                    pagination: {type: offset, param: offset, inject: body}
                  - name: b
                    path: /b
                    parent: {stream: a}
                """, Map.of());
        assertThat(new HttpSource().check(config).message())
                .contains(".streams[a].body: needs method: POST")
                .contains(".streams[a].pagination.inject: 'body' needs method: POST")
                .contains(".streams[a].record_filter: 'record.x = 1': unexpected '= 1' at character 10")
                .contains(".streams[a].parent.stream: parents form a cycle: a -> b -> a");
        ConnectorConfig lookback = manifest("""
                  - name: a
                    path: /a
                    incremental: {cursor_field: name, lookback: PT1H}
                    schema: {properties: {name: {type: string}, at: {type: string, format: date-time}}}
                  - name: b
                    path: /b
                    incremental: {cursor_field: at, lookback: 1 hour}
                    schema: {properties: {name: {type: string}, at: {type: string, format: date-time}}}
                """, Map.of());
        assertThat(new HttpSource().check(lookback).message())
                .contains("line 6: .streams[a].incremental.lookback: 'PT1H' needs a date-time, date or number cursor, not a string one")
                .contains("line 10: .streams[b].incremental.lookback: '1 hour' is not an ISO-8601 duration such as PT1H or P2D");
        ConnectorConfig broken = manifest("  - name: a\n    path: [/a\n", Map.of());
        assertThat(new HttpSource().check(broken).message()).containsPattern("m.yaml: line [56]: cannot be read as YAML");
    }
}
