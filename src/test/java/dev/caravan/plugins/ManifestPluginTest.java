package dev.caravan.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.server.ServerSettings;
import dev.caravan.source.http.TestingHttpApi;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.Await;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest plugin — a folder holding an HTTP API manifest and no code — is a source connector of its own, named after
 * the folder, with the http options but 'manifest'; dropped while the server runs it loads, and a broken one is a catalog
 * problem naming the manifest's line.
 */
class ManifestPluginTest {

    @Test
    void aManifestFolderIsAConnectorOfItsOwn(@TempDir Path home) throws Exception {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(plugins.resolve("github"));
        Files.copy(Path.of("examples/http-manifests/github.yaml"), plugins.resolve("github/manifest.yaml"));
        Path lake = home.resolve("lake");
        Map<String, String> settings = Map.of(ServerSettings.PLUGINS_SCAN_INTERVAL_MS, "100");
        try (TestingHttpApi api = new TestingHttpApi(); TestingServer testing = new TestingServer(home, settings); ParquetQuery duck = new ParquetQuery()) {
            HttpJson rest = new HttpJson(testing.apiUrl());
            JsonNode properties = rest.get("/connectors/github/spec").json().findValue("properties");
            List<String> options = new ArrayList<>();
            properties.fieldNames().forEachRemaining(options::add);
            assertThat(options).contains("base_url", "account", "token").doesNotContain("manifest");
            assertThat(properties.path("token").path("x-secret").asBoolean()).as("the token is a secret").isTrue();

            testing.server().apply("""
                    sources: [{name: gh, connector: github, config: {base_url: "%s", account: acme, token: %s}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - name: gh
                        source: gh
                        destination: lake
                        streams:
                          - {name: repositories}
                          - {name: issues, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}
                    """.formatted(api.baseUrl(), TestingHttpApi.TOKEN, lake), "gh.yaml");
            JobRecord job = testing.server().syncNow("gh").orElseThrow();
            assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(ParquetQuery.currentGeneration(lake, "", "repositories")))).isEqualTo(5);
            assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(lake.resolve("raw/issues")))).isEqualTo(27);

            // dropped while running: a broken manifest is a problem naming its line; a good one loads
            Files.createDirectories(plugins.resolve("broken"));
            Files.writeString(plugins.resolve("broken/manifest.yaml"), "version: 1\nbase_url: https://x\nstreams:\n  - name: s\n    paht: /s\n");
            Await.until("the broken manifest is reported", () -> rest.get("/connectors").json().path("problems").toString().contains("broken"));
            String problems = rest.get("/connectors").json().path("problems").toString();
            assertThat(problems).contains("manifest.yaml").containsPattern("line \\d+");
            Files.createDirectories(plugins.resolve("shop"));
            Files.copy(Path.of("examples/http-manifests/products.yaml"), plugins.resolve("shop/manifest.yaml"));
            Await.until("shop loads", () -> rest.get("/connectors/shop/spec").status() == 200);
            assertThat(rest.get("/connectors/broken/spec").status()).isEqualTo(404);
        }
    }
}
