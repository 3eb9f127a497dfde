package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.source.http.TestingHttpApi;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The http source end to end: a running server syncs the four example manifests from {@link TestingHttpApi} into the local
 * lake in every sync mode, twice; the Parquet files are read back with DuckDB.
 */
class HttpSourceSyncTest {

    @Test
    void everySyncModeThroughARunningServer(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingHttpApi api = new TestingHttpApi(); TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            testing.server().apply("""
                    sources:
                      - {name: gh, connector: http, config: {manifest: "%s", base_url: "%s", account: acme, token: %s}}
                      - {name: stripe, connector: http, config: {manifest: "%s", base_url: "%s", token: %s}}
                      - {name: shop, connector: http, config: {manifest: "%s", base_url: "%s", api_key: %s}}
                      - {name: search, connector: http, config: {manifest: "%s", base_url: "%s"}}
                    destinations:
                      - {name: lake, connector: local, config: {path: "%s"}}
                    connections:
                      - name: gh
                        source: gh
                        destination: lake
                        namespace: gh
                        streams:
                          - {name: repositories, sync_mode: full_refresh_overwrite}
                          - {name: issues, sync_mode: incremental_append_deduped, cursor_field: updated_at, primary_key: [id]}
                      - name: stripe
                        source: stripe
                        destination: lake
                        namespace: stripe
                        streams:
                          - {name: charges, sync_mode: full_refresh_append}
                      - name: shop
                        source: shop
                        destination: lake
                        namespace: shop
                        streams:
                          - {name: products, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [sku]}
                      - name: search
                        source: search
                        destination: lake
                        namespace: search
                        streams:
                          - {name: events, sync_mode: incremental_append, cursor_field: at, primary_key: [id]}
                    """.formatted(manifest("github"), api.baseUrl(), TestingHttpApi.TOKEN, manifest("stripe"), api.baseUrl(),
                    TestingHttpApi.STRIPE_KEY, manifest("products"), api.baseUrl(), TestingHttpApi.API_KEY, manifest("search"), api.baseUrl(),
                    lake), "http.yaml");
            for (int i = 1; i <= 40; i++) {
                api.event(i, i / 3, i % 4 == 0 ? "noise" : "click");
            }
            for (int round = 1; round <= 2; round++) {
                api.productCount = round == 1 ? 23 : 30;
                if (round == 2) { // search.yaml: at the last cursor value, late inside the 5-minute lookback, new, and noise
                    api.event(41, 13, "click");
                    api.event(42, 11, "click");
                    api.event(43, 20, "click");
                    api.event(44, 20, "noise");
                }
                for (String connection : new String[] {"gh", "stripe", "shop", "search"}) {
                    JobRecord job = testing.server().syncNow(connection).orElseThrow();
                    assertThat(job.status()).as("%s: %s", connection, job.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
                }
                assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(ParquetQuery.currentGeneration(lake, "gh", "repositories")))).isEqualTo(5);
                assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/gh/issues")))).as("nothing new").isEqualTo(27);
                assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("snapshot/gh/issues")))).isEqualTo(27);
                assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/stripe/charges")))).isEqualTo(18L * round);
                assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/shop/products")))).isEqualTo(round == 1 ? 23 : 30);
                assertThat(duck.count("SELECT count(DISTINCT sku) FROM " + ParquetQuery.files(lake.resolve("raw/shop/products")))).isEqualTo(round == 1 ? 23 : 30);
                String events = ParquetQuery.files(lake.resolve("raw/search/events"));
                assertThat(duck.count("SELECT count(*) FROM " + events)).as("search events, noise filtered").isEqualTo(round == 1 ? 30 : 33);
                assertThat(duck.count("SELECT count(DISTINCT id) FROM " + events + " WHERE kind = 'click'")).isEqualTo(round == 1 ? 30 : 33);
            }
            assertThat(duck.count("SELECT sum(amount) FROM " + ParquetQuery.files(lake.resolve("raw/stripe/charges")))).isEqualTo(2 * 150L * 171);
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/gh/issues"))
                    + " WHERE comments IS NULL AND CAST(_airbyte_meta AS VARCHAR) LIKE '%comments%NULLED%'")).isEqualTo(1);
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/shop/products"))
                    + " WHERE updated_at = TIMESTAMPTZ '2024-03-01 00:30:00+00' AND price = 75.0")).isEqualTo(1);
        }
    }

    private static String manifest(String name) {
        return Path.of("examples/http-manifests/" + name + ".yaml").toAbsolutePath().toString();
    }
}
