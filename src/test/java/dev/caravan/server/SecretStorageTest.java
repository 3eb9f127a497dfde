package dev.caravan.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets are encrypted in the metadata store, masked everywhere they are shown, and still reach the connector. */
class SecretStorageTest {
    private static final String PASSWORD = "open-sesame";

    @Test
    void secretsAreEncryptedAtRestMaskedInTheApiAndExportAndAbsentFromRoutes(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingServer server = new TestingServer(home)) {
            server.server().apply("""
                    sources: [{name: vault, connector: test-secret, config: {password: %s, rows: 5}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections: [{name: guarded, source: vault, destination: lake, streams: [{name: items}]}]
                    """.formatted(PASSWORD, lake), "secret.yaml");
            HttpJson api = new HttpJson(server.apiUrl());
            assertThat(api.post("/sources/vault/check", "").json().get("status").asText()).isEqualTo("succeeded");
            assertThat(server.server().syncNow("guarded").orElseThrow().records()).isEqualTo(5);

            assertThat(api.get("/sources/vault").text()).contains("\"password\" : \"**********\"").doesNotContain(PASSWORD);
            String export = api.get("/export").text();
            assertThat(export).contains("password: \"**********\"").doesNotContain(PASSWORD);
            try (Stream<Path> routes = Files.list(server.routes())) {
                for (Path route : routes.toList()) {
                    assertThat(Files.readString(route)).doesNotContain(PASSWORD);
                }
            }
            // Applying the export back keeps the stored secret.
            assertThat(api.postYaml("/apply", export).status()).isEqualTo(200);
            assertThat(api.post("/sources/vault/check", "").json().get("status").asText()).isEqualTo("succeeded");
            // An update that sends the mask keeps the secret; a new value replaces it.
            assertThat(api.put("/sources/vault", "{\"connector\":\"test-secret\",\"config\":{\"password\":\"**********\",\"rows\":6}}").status()).isEqualTo(200);
            assertThat(api.post("/sources/vault/check", "").json().get("status").asText()).isEqualTo("succeeded");
            api.put("/sources/vault", "{\"connector\":\"test-secret\",\"config\":{\"password\":\"not-the-password-42\"}}");
            assertThat(api.post("/sources/vault/check", "").json().get("message").asText()).contains("Authentication failed").doesNotContain("not-the-password-42");
            api.put("/sources/vault", "{\"connector\":\"test-secret\",\"config\":{\"password\":\"" + PASSWORD + "\"}}");
        }
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("data/state"), "", "");
             Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT body FROM caravan_definition WHERE name = 'vault'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).contains("password: \"enc:v1:").doesNotContain(PASSWORD);
        }
        assertThat(Files.readString(home.resolve("data/master.key"))).doesNotContain(PASSWORD);
    }
}
