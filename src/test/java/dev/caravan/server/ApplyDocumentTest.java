package dev.caravan.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validity and reachability are different things: applying a document stores its valid items and reports the invalid
 * ones by path (and the connections that use an invalid source or destination); an unreachable source is a warning and is
 * stored; {@code atomic} stores nothing when anything is invalid; a dry run reports exactly what the apply would do.
 */
class ApplyDocumentTest {

    private static final String DOCUMENT = """
            sources:
              - {name: ok-source, connector: faker, config: {count: 10}}
              - {name: down, connector: postgres, config: {host: 127.0.0.1, port: 1, database: nope, username: x}}
              - {name: broken-source, connector: faker, config: {count: many}}
            destinations:
              - {name: lake, connector: local, config: {path: "%1$s"}}
              - {name: broken-lake, connector: local, config: {path: "%1$s/b", compression: lzma}}
            connections:
              - {name: good, source: ok-source, destination: lake, streams: [{name: users}]}
              - {name: unreachable, source: down, destination: lake, streams: [{name: public.t}]}
              - {name: uses-broken-source, source: broken-source, destination: lake, namespace: x, streams: [{name: users}]}
              - {name: uses-broken-lake, source: ok-source, destination: broken-lake, streams: [{name: users}]}
              - {name: bad-stream, source: ok-source, destination: lake, namespace: y, streams: [{name: nope}]}
            """;

    private static List<String> paths(JsonNode problems) {
        List<String> paths = new ArrayList<>();
        problems.forEach(p -> paths.add(p.get("path").asText()));
        return paths;
    }

    private static List<String> names(HttpJson api, String kind) {
        List<String> names = new ArrayList<>();
        api.get("/" + kind).json().get(kind).forEach(n -> names.add(n.get("name").asText()));
        return names;
    }

    @Test
    void theValidItemsApplyTheInvalidOnesAreReportedAndAnUnreachableSourceIsAWarning(@TempDir Path home) {
        try (TestingServer server = new TestingServer(home)) {
            HttpJson api = new HttpJson(server.apiUrl());
            String document = DOCUMENT.formatted(home.resolve("lake"));

            HttpJson.Response atomic = api.postYaml("/apply?atomic=true", document);
            assertThat(atomic.status()).isEqualTo(400);
            assertThat(paths(atomic.json().get("problems"))).contains("sources[2].config.count", "destinations[1].config.compression");
            assertThat(names(api, "sources")).as("atomic: nothing stored").isEmpty();

            HttpJson.Response dry = api.postYaml("/apply?dry_run=true", document);
            HttpJson.Response applied = api.postYaml("/apply", document);
            assertThat(applied.status()).as(applied.text()).isEqualTo(200);
            assertThat(paths(applied.json().get("problems"))).containsExactlyInAnyOrder("sources[2].config.count",
                    "destinations[1].config.compression", "connections[4].streams[0].name", "connections[2].source", "connections[3].destination");
            assertThat(applied.json().get("problems").toString()).contains("uses sources[2], which is invalid");
            assertThat(applied.json().get("warnings")).singleElement().satisfies(w -> {
                assertThat(w.get("path").asText()).isEqualTo("connections[1].source");
                assertThat(w.get("fix").asText()).contains("cannot be discovered now").contains("caravan check down");
            });
            assertThat(dry.json().get("problems")).as("the dry run reports the same").isEqualTo(applied.json().get("problems"));
            assertThat(dry.json().get("changes")).isEqualTo(applied.json().get("changes"));

            assertThat(names(api, "sources")).containsExactlyInAnyOrder("ok-source", "down");
            assertThat(names(api, "destinations")).containsExactly("lake");
            assertThat(names(api, "connections")).containsExactlyInAnyOrder("good", "unreachable");
            assertThat(server.routes().resolve("good.yaml")).exists();
            assertThat(api.post("/connections/sync", "{\"connection\":\"good\",\"wait\":true}").json().get("status").asText()).isEqualTo("succeeded");

            HttpJson.Response nothingValid = api.postYaml("/apply", "sources: [{name: x, connector: faker, config: {count: many}}]");
            assertThat(nothingValid.status()).as("a document with nothing valid is refused").isEqualTo(400);
        }
    }
}
