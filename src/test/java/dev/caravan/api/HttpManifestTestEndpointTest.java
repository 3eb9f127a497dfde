package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.source.http.TestingHttpApi;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /api/v1/connectors/http/test on a running server: a manifest's test read, secrets masked, errors with lines. */
class HttpManifestTestEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path home;

    @Test
    void testReadsAStreamOfAManifestSentAsText() throws Exception {
        try (TestingHttpApi shop = new TestingHttpApi(); TestingServer server = new TestingServer(home)) {
            HttpJson api = new HttpJson(server.apiUrl());
            ObjectNode body = JSON.createObjectNode().put("manifest", Files.readString(Path.of("examples/http-manifests/products.yaml")))
                    .put("stream", "products").put("limit", 3);
            body.putObject("config").put("api_key", TestingHttpApi.API_KEY).put("base_url", shop.baseUrl());
            Response ok = api.post("/connectors/http/test", body.toString());
            assertThat(ok.status()).as(ok.text()).isEqualTo(200);
            assertThat(ok.text()).doesNotContain(TestingHttpApi.API_KEY);
            assertThat(ok.json().at("/requests/0/url").asText()).isEqualTo(shop.baseUrl() + "/api/products?limit=5&offset=0");
            assertThat(ok.json().at("/requests/0/headers/X-Api-Key").asText()).isEqualTo("**********");
            assertThat(ok.json().at("/requests/0/status").asInt()).isEqualTo(200);
            assertThat(ok.json().get("records")).hasSize(3);
            assertThat(ok.json().at("/records/2/sku").asText()).isEqualTo("SKU-003");
            assertThat(ok.json().get("error").isNull()).isTrue();

            body.put("manifest", "version: 1\nbase_url: http://x\nstreams:\n  - name: products\n    path: /p\n    pagination: {type: pages}\n");
            Response invalid = api.post("/connectors/http/test", body.toString());
            assertThat(invalid.status()).isEqualTo(200);
            assertThat(invalid.json().get("error").asText()).contains("manifest (manifest) is invalid: line 6: .streams[products].pagination.type");
            assertThat(invalid.json().get("requests")).isEmpty();

            Response badLimit = api.post("/connectors/http/test", body.put("limit", 0).toString());
            assertThat(badLimit.status()).isEqualTo(400);
            assertThat(badLimit.text()).contains("limit").contains("between 1 and 1000");
        }
    }
}
