package dev.caravan.acceptance;

import dev.caravan.source.http.TestingHttpApi;
import dev.caravan.spi.SyncMode;
import java.util.List;
import java.util.Map;

/** examples/http-manifests/products.yaml: offset/limit pagination, API key header, incremental with ?updated_since=. */
class ShopManifestAcceptanceTest extends HttpApiAcceptanceKit {
    @Override
    protected Map<String, Object> config() {
        return Map.of("manifest", "examples/http-manifests/products.yaml", "base_url", api.baseUrl(), "api_key", TestingHttpApi.API_KEY);
    }

    @Override
    protected List<BadConfig> badConfigs() {
        return List.of(BadConfig.of("api_key", "wrong"), BadConfig.of("start_date", "yesterday"));
    }

    @Override
    protected List<StreamCase> streams() {
        List<List<String>> expected = texts(TestingHttpApi.products(23), List.of("sku", "name", "price", "stock", "updated_at"), Map.of());
        return List.of(new StreamCase("products", SyncMode.FULL_REFRESH_APPEND, null, List.of("sku"), expected, 3),
                new StreamCase("products", SyncMode.INCREMENTAL_APPEND, "updated_at", List.of("sku"), expected, 3));
    }
}
