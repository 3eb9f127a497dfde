package dev.caravan.acceptance;

import dev.caravan.source.http.TestingHttpApi;
import dev.caravan.spi.SyncMode;
import java.util.List;
import java.util.Map;

/** examples/http-manifests/stripe.yaml: cursor pagination (starting_after + has_more), bearer secret key, newest first. */
class StripeManifestAcceptanceTest extends HttpApiAcceptanceKit {
    @Override
    protected Map<String, Object> config() {
        return Map.of("manifest", "examples/http-manifests/stripe.yaml", "base_url", api.baseUrl(), "token", TestingHttpApi.STRIPE_KEY);
    }

    @Override
    protected List<BadConfig> badConfigs() {
        return List.of(BadConfig.of("token", "sk_wrong"));
    }

    @Override
    protected List<StreamCase> streams() {
        List<List<String>> expected = texts(TestingHttpApi.charges(), List.of("id", "amount", "currency", "paid", "created", "metadata"), Map.of());
        return List.of(new StreamCase("charges", SyncMode.FULL_REFRESH_APPEND, null, List.of("id"), expected, 3),
                new StreamCase("charges", SyncMode.INCREMENTAL_APPEND, "created", List.of("id"), expected, 3));
    }
}
