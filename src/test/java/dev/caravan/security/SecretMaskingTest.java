package dev.caravan.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.testing.GuardedSource;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.LogCapture;
import dev.caravan.testing.TestingServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection whose source has a password, driven through every path where text leaves the server: API responses
 * (create, get, list, check, sync, jobs, errors), the export, the generated route files and the log (messages and stack
 * traces). The source echoes its password in its check message and in a read failure, as careless drivers do; neither
 * known password may appear anywhere in clear.
 */
class SecretMaskingTest {
    private static final String WRONG_PASSWORD = "Wrong-Pa55word-c0ffee42";
    private static final String MASK = ConnectorSpec.MASK;

    @TempDir
    Path home;
    private final List<String> seen = new ArrayList<>();

    private Response keep(Response response) {
        seen.add(response.text());
        return response;
    }

    @Test
    void secretsNeverLeaveTheServerInClear() throws IOException {
        try (LogCapture log = new LogCapture(); TestingServer server = new TestingServer(home)) {
            HttpJson api = new HttpJson(server.apiUrl());
            Response created = keep(api.post("/sources", "{\"name\":\"vault\",\"connector\":\"guarded\",\"config\":{\"password\":\""
                    + GuardedSource.SERVER_PASSWORD + "\",\"rows\":6}}"));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            assertThat(created.json().at("/config/password").asText()).isEqualTo(MASK);
            assertThat(keep(api.get("/sources/vault")).json().at("/config/password").asText()).isEqualTo(MASK);
            assertThat(keep(api.get("/sources")).json().at("/sources/0/config/password").asText()).isEqualTo(MASK);
            assertThat(keep(api.post("/sources/vault/check", "")).json().get("status").asText()).isEqualTo("succeeded");

            // The masked value sent back keeps the stored password: the check still logs in.
            Response update = keep(api.put("/sources/vault", "{\"connector\":\"guarded\",\"config\":{\"password\":\"" + MASK + "\",\"rows\":9}}"));
            assertThat(update.status()).as(update.text()).isEqualTo(200);
            assertThat(update.json().at("/config/rows").asInt()).isEqualTo(9);
            assertThat(keep(api.post("/sources/vault/check", "")).json().get("status").asText()).isEqualTo("succeeded");

            String lake = home.resolve("lake").toString().replace("\\", "/");
            keep(api.post("/destinations", "{\"name\":\"lake\",\"connector\":\"local\",\"config\":{\"path\":\"" + lake + "\"}}"));
            Response connection = keep(api.post("/connections", "{\"name\":\"secretive\",\"source\":\"vault\",\"destination\":\"lake\","
                    + "\"streams\":[{\"name\":\"items\"},{\"name\":\"broken\"}]}"));
            assertThat(connection.status()).as(connection.text()).isEqualTo(201);

            // The read of stream broken fails with the password in the driver's message.
            Response job = keep(api.post("/connections/sync", "{\"connection\":\"secretive\",\"wait\":true}"));
            assertThat(job.json().get("status").asText()).isEqualTo("failed");
            assertThat(job.json().get("error").asText()).contains("pretend-db://reader:" + MASK + "@localhost");
            long id = job.json().get("id").asLong();
            JsonNode stored = keep(api.get("/jobs/" + id)).json();
            assertThat(stored.get("error").asText()).contains(MASK);
            keep(api.get("/jobs?connection=secretive"));
            keep(api.get("/connections/secretive"));

            // An exported document is masked, and applies unchanged.
            Response export = keep(api.get("/export"));
            assertThat(export.text()).contains("password: \"" + MASK + "\"");
            Response reapplied = keep(api.postYaml("/apply", export.text()));
            assertThat(reapplied.json().get("changes").findValuesAsText("action")).containsOnly("unchanged");

            // A new (wrong) password, echoed by the source's check: masked in the answer.
            keep(api.put("/sources/vault", "{\"connector\":\"guarded\",\"config\":{\"password\":\"" + WRONG_PASSWORD + "\"}}"));
            Response check = keep(api.post("/sources/vault/check", ""));
            assertThat(check.json().get("status").asText()).isEqualTo("failed");
            assertThat(check.json().get("message").asText()).isEqualTo("login refused: password '" + MASK + "' is wrong");

            List<String> routeFiles = new ArrayList<>();
            try (Stream<Path> files = Files.list(server.routes())) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    routeFiles.add(Files.readString(file));
                }
            }
            assertThat(routeFiles).as("the generated route file").hasSize(1).allSatisfy(text -> assertThat(text).contains("source: vault"));

            String logged = log.text();
            assertThat(logged).as("the failure was logged, with its stack trace").contains("pretend-db://reader:" + MASK + "@localhost")
                    .contains("at dev.caravan.testing.GuardedSource");
            for (String secret : List.of(GuardedSource.SERVER_PASSWORD, WRONG_PASSWORD)) {
                assertThat(logged).as("the log").doesNotContain(secret);
                assertThat(seen).as("API responses and the export").noneSatisfy(text -> assertThat(text).contains(secret));
                assertThat(routeFiles).as("route files").noneSatisfy(text -> assertThat(text).contains(secret));
            }
        }
    }
}
