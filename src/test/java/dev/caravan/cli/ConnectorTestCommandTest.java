package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.http.TestingHttpApi;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan connector test}: the requests made, secrets masked, and the first records, against a local API. */
class ConnectorTestCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheRequestsWithSecretsMaskedAndTheRecordsUpToTheLimit() throws Exception {
        try (TestingHttpApi api = new TestingHttpApi()) {
            Path config = Files.writeString(dir.resolve("c.json"), "{\"api_key\": \"" + TestingHttpApi.API_KEY + "\", \"base_url\": \"" + api.baseUrl() + "\"}");
            CliRun run = CliRun.of("connector", "test", "examples/http-manifests/products.yaml", "--config", config.toString(),
                    "--stream", "products", "--limit", "7");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("> GET " + api.baseUrl() + "/api/products?limit=5&offset=0\n", ">   X-Api-Key: **********\n",
                    "< 200 (", "> GET " + api.baseUrl() + "/api/products?limit=5&offset=5\n",
                    "7 record(s) of products [sku, name, price, stock, updated_at]:\n", "{\"sku\":\"SKU-001\",\"name\":\"Product \\\"1\\\" ü\",\"price\":2.5,"
                            + "\"stock\":7,\"updated_at\":\"2024-03-01T00:01:00Z\"}")
                    .doesNotContain(TestingHttpApi.API_KEY).doesNotContain("offset=10");
            assertThat(run.out().lines().filter(l -> l.startsWith("{\"sku\"")).count()).isEqualTo(7);
            assertThat(api.requests).hasSize(2);

            Path wrong = Files.writeString(dir.resolve("wrong.json"), "{\"api_key\": \"sesame-42\", \"base_url\": \"" + api.baseUrl() + "\"}");
            CliRun refused = CliRun.of("connector", "test", "examples/http-manifests/products.yaml", "--config", wrong.toString(), "--stream", "products");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.out()).contains("< 403 (").doesNotContain("sesame-42");
            assertThat(refused.err()).contains("answered 403").contains("option 'api_key'").doesNotContain("sesame-42");
        }
    }
}
