package dev.caravan.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The http source's behaviour on faults against {@link TestingHttpApi}: retries, bad pages, expiring tokens, bad manifests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpSourceTest {
    private final HttpSource source = new HttpSource();
    private TestingHttpApi api;
    @TempDir
    Path dir;

    @BeforeAll
    void start() throws IOException {
        api = new TestingHttpApi();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private ConnectorConfig config(Map<String, Object> values) {
        return HttpReads.config(api, values);
    }

    private static List<RecordBatch> read(ConnectorConfig config, String stream, SyncMode mode, String cursor, Map<String, Object> state) {
        return HttpReads.read(config, stream, mode, cursor, state).batches();
    }

    private static int rows(List<RecordBatch> batches) {
        return HttpReads.rows(batches);
    }

    @Test
    void retriesA429AfterRetryAfterA500AndASlowPageAndDeliversEveryRecordOnce() {
        api.failOnce("429", "offset=5");
        api.failOnce("500", "offset=10");
        api.failOnce("slow", "offset=15");
        int before = api.requests.size();
        long start = System.nanoTime();
        List<RecordBatch> batches = read(config(Map.of("manifest", "examples/http-manifests/products.yaml", "api_key", TestingHttpApi.API_KEY)),
                "products", SyncMode.FULL_REFRESH_APPEND, null, Map.of());
        assertThat(rows(batches)).isEqualTo(23);
        assertThat((System.nanoTime() - start) / 1_000_000).as("waited Retry-After: 1").isGreaterThanOrEqualTo(1000);
        assertThat(api.requests.size() - before).as("5 pages + 2 retries").isEqualTo(7);
        assertThat(api.faults.values()).allMatch(f -> f.get() <= 0);
    }

    @Test
    void aTimeoutIsRetriedAndFailsAsTransientNamingTheUrlWhenRetriesRunOut() throws IOException {
        Path manifest = Files.writeString(dir.resolve("slow.yaml"), Files.readString(Path.of("examples/http-manifests/products.yaml"))
                .replace("timeout_ms: 2000", "timeout_ms: 100").replace("max_retries: 4", "max_retries: 1"));
        api.failOnce("slow", "offset=0&updated_since=2030");
        api.failOnce("slow", "offset=0&updated_since=2030");
        ConnectorConfig config = config(Map.of("manifest", manifest.toString(), "api_key", TestingHttpApi.API_KEY, "start_date", "2030-01-01T00:00:00Z"));
        assertThatThrownBy(() -> read(config, "products", SyncMode.INCREMENTAL_APPEND, "updated_at", Map.of()))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT))
                .hasMessageContaining("/api/products?limit=5&offset=0").hasMessageContaining("after 2 attempts");
    }

    @Test
    void aTruncatedPageFailsNamingTheUrlAndPosition() throws IOException {
        Path manifest = Files.writeString(dir.resolve("broken.yaml"), """
                version: 1
                base_url: http://unused.invalid
                streams:
                  - name: broken
                    path: /broken
                    records: /results
                    schema: {properties: {sku: {type: string}, name: {type: string}}}
                """);
        assertThatThrownBy(() -> read(config(Map.of("manifest", manifest.toString())), "broken", SyncMode.FULL_REFRESH_APPEND, null, Map.of()))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining(api.baseUrl() + "/broken").hasMessageContaining("malformed JSON page at line 1, column");
    }

    @Test
    void anExpiringOAuthTokenIsRefreshedOn401() throws IOException {
        Path manifest = Files.writeString(dir.resolve("oauth.yaml"), Files.readString(Path.of("examples/http-manifests/stripe.yaml"))
                .replace("type: bearer", "type: oauth2\n  token_url: /oauth/token"));
        api.tokenUses = 2;
        int issued = api.tokensIssued();
        ConnectorConfig config = config(Map.of("manifest", manifest.toString(), "client_id", TestingHttpApi.CLIENT_ID,
                "client_secret", TestingHttpApi.CLIENT_SECRET));
        assertThat(rows(read(config, "charges", SyncMode.FULL_REFRESH_APPEND, null, Map.of()))).isEqualTo(18);
        assertThat(api.tokensIssued() - issued).as("5 pages, 2 requests per token").isEqualTo(3);
        ConnectorConfig wrong = config(Map.of("manifest", manifest.toString(), "client_id", TestingHttpApi.CLIENT_ID, "client_secret", "nope"));
        assertThat(source.check(wrong).message()).contains("client_secret").doesNotContain("nope");
    }

    @Test
    void a401FailsAsAConfigErrorNamingTheOption() {
        ConnectorConfig config = config(Map.of("manifest", "examples/http-manifests/stripe.yaml", "token", "sk_wrong"));
        assertThatThrownBy(() -> read(config, "charges", SyncMode.FULL_REFRESH_APPEND, null, Map.of()))
                .isInstanceOfSatisfying(CaravanException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CONFIG))
                .hasMessageContaining("answered 401").hasMessageContaining("option 'token'").hasMessageNotContaining("sk_wrong");
    }

    @Test
    void aValueNotMatchingItsSchemaIsKeptAsNullWithAChange() {
        ConnectorConfig config = config(Map.of("manifest", "examples/http-manifests/github.yaml", "token", TestingHttpApi.TOKEN,
                "account", TestingHttpApi.ACCOUNT));
        List<RecordBatch> batches = read(config, "issues", SyncMode.FULL_REFRESH_APPEND, null, Map.of());
        List<FieldChange> changes = new ArrayList<>();
        batches.forEach(b -> b.changes().values().forEach(changes::addAll));
        assertThat(changes).containsExactly(new FieldChange("comments", FieldChange.NULLED, FieldChange.SOURCE_SERIALIZATION_ERROR));
        assertThat(rows(batches)).isEqualTo(27);
    }

    @Test
    void anIncrementalSubstreamKeepsOneCursorPerParentAndSendsItAsSince() {
        ConnectorConfig config = config(Map.of("manifest", "examples/http-manifests/github.yaml", "token", TestingHttpApi.TOKEN,
                "account", TestingHttpApi.ACCOUNT));
        List<RecordBatch> first = read(config, "issues", SyncMode.INCREMENTAL_APPEND, "updated_at", Map.of());
        Map<String, Object> state = first.get(first.size() - 1).checkpoint();
        assertThat(state).containsOnlyKeys("cursor:1", "cursor:2", "cursor:3", "cursor:5",
                "keys_at_cursor:1", "keys_at_cursor:2", "keys_at_cursor:3", "keys_at_cursor:5");
        assertThat(state.get("keys_at_cursor:2")).isEqualTo(List.of(List.of(1006L)));
        int before = api.requests.size();
        assertThat(rows(read(config, "issues", SyncMode.INCREMENTAL_APPEND, "updated_at", state))).isZero();
        assertThat(api.requests.subList(before, api.requests.size())).anyMatch(r -> r.contains("/issues?") && r.contains("since=" + "2024-03-01T07"));
    }

    @Test
    void anInvalidManifestIsRefusedNamingTheFileAndEveryBadField() throws IOException {
        Path manifest = Files.writeString(dir.resolve("bad.yaml"), """
                version: 1
                base_url: http://x
                streams:
                  - name: s
                    path: /s
                    pagination: {type: pages}
                    primary_key: [uid]
                    colour: blue
                    schema: {properties: {id: {type: integer}, at: {type: datetime}}}
                    params: {tags: [a, b]}
                """);
        assertThat(source.check(config(Map.of("manifest", manifest.toString()))).message())
                .contains(manifest.toString())
                .contains("line 6: .streams[s].pagination.type: 'pages' is not one of")
                .contains("line 7: .streams[s].primary_key: 'uid' is not a property")
                .contains("line 8: .streams[s].colour: unknown key")
                .contains("line 9: .streams[s].schema.properties.at.type: 'datetime'")
                .contains("line 10: .streams[s].params.tags: ");
    }
}
