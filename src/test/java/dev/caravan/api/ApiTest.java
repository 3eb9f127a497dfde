package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over real HTTP against a running server: every endpoint's happy path and its errors. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiTest {
    @TempDir
    static Path home;
    private static TestingServer server;
    private static HttpJson api;

    @BeforeAll
    static void start() {
        server = new TestingServer(home);
        api = new HttpJson(server.apiUrl());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void assertProblem(Response response, int status, String path, String fixPart) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        JsonNode body = response.json();
        assertThat(body.get("code").asText()).isEqualTo("INVALID");
        List<String> paths = new ArrayList<>();
        body.get("problems").forEach(p -> paths.add(p.get("path").asText() + " => " + p.get("value").asText() + " " + p.get("fix").asText()));
        assertThat(paths).as(response.text()).anySatisfy(p -> assertThat(p).startsWith(path + " => ").contains(fixPart));
    }

    @Test
    @Order(1)
    void connectorsAndTheirSpecs() {
        Response list = api.get("/connectors");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("connectors").findValuesAsText("name")).contains("faker", "local");
        assertThat(list.json().get("connectors").findValuesAsText("origin")).containsOnly("built-in");
        assertThat(list.json().get("connectors").findValuesAsText("sdk_version")).containsOnly(dev.caravan.spi.ConnectorSdk.VERSION);
        assertThat(list.json().get("problems")).isEmpty();
        Response spec = api.get("/connectors/faker/spec");
        assertThat(spec.json().at("/spec/properties/count/default").asInt()).isEqualTo(1000);
        Response missing = api.get("/connectors/nope/spec");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(missing.json().get("message").asText()).contains("connector 'nope' does not exist");
    }

    @Test
    @Order(2)
    void sourcesAreCreatedValidatedReadUpdatedCheckedAndDiscovered() {
        Response created = api.post("/sources", "{\"name\":\"src\",\"connector\":\"faker\",\"config\":{\"count\":50}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().at("/config/count").asInt()).isEqualTo(50);
        assertThat(api.post("/sources", "{\"name\":\"src\",\"connector\":\"faker\"}").status()).isEqualTo(409);

        assertProblem(api.post("/sources", "{\"name\": "), 400, "(body)", "not valid JSON");
        assertProblem(api.post("/sources", "{\"name\":\"x\"}"), 400, "connector", "");
        assertProblem(api.post("/sources", "{\"name\":\"x\",\"connector\":\"faker\",\"config\":{\"count\":\"many\"}}"), 400, "config.count", "whole number");
        assertProblem(api.post("/sources", "{\"name\":\"x\",\"connector\":\"faker\",\"colour\":\"red\"}"), 400, "colour", "");
        assertProblem(api.post("/sources", "{\"name\":\"x\",\"connector\":\"nope\"}"), 400, "connector", "nope");
        assertProblem(api.post("/sources", "[1,2]"), 400, "(body)", "JSON object");

        assertThat(api.get("/sources").json().get("sources").findValuesAsText("name")).containsExactly("src");
        assertThat(api.get("/sources/src").json().at("/config/count").asInt()).isEqualTo(50);
        assertThat(api.get("/sources/missing").status()).isEqualTo(404);

        Response updated = api.put("/sources/src", "{\"connector\":\"faker\",\"config\":{\"count\":60}}");
        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
        assertThat(updated.json().at("/config/count").asInt()).isEqualTo(60);
        assertThat(api.put("/sources/missing", "{\"connector\":\"faker\"}").status()).isEqualTo(404);
        assertProblem(api.put("/sources/src", "{\"name\":\"other\",\"connector\":\"faker\"}"), 400, "name", "must equal the name in the path");

        Response check = api.post("/sources/src/check", "");
        assertThat(check.json().get("status").asText()).isEqualTo("succeeded");
        Response discover = api.post("/sources/src/discover", "");
        List<String> streams = new ArrayList<>();
        discover.json().get("streams").forEach(stream -> streams.add(stream.get("name").asText()));
        assertThat(streams).containsExactly("users", "products", "purchases");
        assertThat(discover.json().at("/streams/0/cursor_candidates").toString()).contains("updated_at");
        assertThat(api.post("/sources/missing/check", "").status()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void destinationsAreCreatedAndChecked() {
        String body = "{\"name\":\"lake\",\"connector\":\"local\",\"config\":{\"path\":\"" + home.resolve("lake") + "\"}}";
        assertThat(api.post("/destinations", body).status()).isEqualTo(201);
        assertThat(api.post("/destinations/lake/check", "").json().get("status").asText()).isEqualTo("succeeded");
        assertProblem(api.post("/destinations", "{\"name\":\"d2\",\"connector\":\"local\",\"config\":{\"compression\":\"lz4\"}}"), 400,
                "config.compression", "snappy");
        assertThat(api.get("/destinations").json().get("destinations").findValuesAsText("name")).containsExactly("lake");
    }

    @Test
    @Order(4)
    void connectionsAreCreatedWithTheirRouteAndValidatedAgainstTheSource() {
        String bad = "{\"name\":\"c1\",\"source\":\"src\",\"destination\":\"lake\",\"schedule\":{\"cron\":\"0 0 * * *\"},"
                + "\"streams\":[{\"name\":\"users\",\"sync_mode\":\"incremental_append\",\"cursor_field\":\"updated_at\"}]}";
        assertProblem(api.post("/connections", bad), 400, "schedule.cron", "Quartz");
        assertProblem(api.post("/connections", "{\"name\":\"c1\",\"source\":\"src\",\"destination\":\"lake\",\"streams\":[{\"name\":\"orders\"}]}"),
                400, "streams[0].name", "users, products, purchases");
        assertProblem(api.post("/connections", "{\"name\":\"c1\",\"source\":\"nosuch\",\"destination\":\"lake\",\"streams\":[{\"name\":\"users\"}]}"),
                400, "source", "nosuch");

        String good = "{\"name\":\"c1\",\"source\":\"src\",\"destination\":\"lake\",\"namespace\":\"api\","
                + "\"streams\":[{\"name\":\"users\",\"sync_mode\":\"incremental_append\",\"cursor_field\":\"updated_at\",\"primary_key\":[\"id\"]}]}";
        Response created = api.post("/connections", good);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().at("/status/next_sync_at").isNull()).isTrue();
        assertThat(created.json().at("/status/last_job").isNull()).isTrue();
        assertThat(server.routes().resolve("c1.yaml")).exists();
        assertThat(api.get("/connections").json().get("connections")).singleElement().satisfies(c -> assertThat(c.get("name").asText()).isEqualTo("c1"));
    }

    @Test
    @Order(5)
    void aConnectionWritingWhereAnotherWritesIsRefusedAndNothingIsStored() {
        String clash = "{\"name\":\"c2\",\"source\":\"src\",\"destination\":\"lake\",\"namespace\":\"api\",\"streams\":[{\"name\":\"users\"}]}";
        String fix = "connection 'c2' would write stream users to raw/api/users in destination lake (" + home.resolve("lake").toUri().toString().replaceAll("/$", "")
                + "), where connection 'c1' writes its stream users;"
                + " they would share file numbering and the publish journal: give 'c2' or 'c1' another prefix or namespace";
        assertProblem(api.post("/connections", clash), 400, "streams[0].name", fix);
        assertThat(api.get("/connections/c2").status()).isEqualTo(404);
        assertThat(server.routes().resolve("c2.yaml")).doesNotExist();

        String document = """
                connections:
                  - {name: c2, source: src, destination: lake, namespace: api, streams: [{name: users}]}
                  - {name: c3, source: src, destination: lake, namespace: api, prefix: c3_, streams: [{name: users}]}
                """;
        assertProblem(api.postYaml("/apply?dry_run=true&atomic=true", document), 400, "connections[0].streams[0].name", fix);
        assertProblem(api.postYaml("/apply?atomic=true", document), 400, "connections[0].streams[0].name", fix);
        assertThat(api.get("/connections/c3").status()).as("nothing of a refused atomic document is stored").isEqualTo(404);
        assertThat(api.get("/connections").json().get("connections")).singleElement().satisfies(c -> assertThat(c.get("name").asText()).isEqualTo("c1"));
        // By default the valid items apply and the invalid ones are reported by their path in the document.
        Response dry = api.postYaml("/apply?dry_run=true", document);
        assertThat(dry.status()).as(dry.text()).isEqualTo(200);
        assertThat(dry.json().at("/problems/0/path").asText()).isEqualTo("connections[0].streams[0].name");
        assertThat(dry.json().at("/changes/0/name").asText()).isEqualTo("c3");
        assertThat(api.get("/connections/c3").status()).as("a dry run stores nothing").isEqualTo(404);
        Response partial = api.postYaml("/apply", document);
        assertThat(partial.status()).as(partial.text()).isEqualTo(200);
        assertThat(partial.json().get("problems")).singleElement().satisfies(p -> {
            assertThat(p.get("path").asText()).isEqualTo("connections[0].streams[0].name");
            assertThat(p.get("fix").asText()).contains("where connection 'c1' writes its stream users");
        });
        assertThat(api.get("/connections/c2").status()).isEqualTo(404);
        assertThat(api.delete("/connections/c3").status()).as("c3 was applied").isEqualTo(204);
    }

    @Test
    @Order(6)
    void syncWithWaitReturnsTheFinishedJobAndTheFilesAreThere() {
        Response job = api.post("/connections/sync", "{\"connection\":\"c1\",\"wait\":true,\"timeout_seconds\":60}");
        assertThat(job.status()).as(job.text()).isEqualTo(200);
        assertThat(job.json().get("status").asText()).isEqualTo("succeeded");
        assertThat(job.json().get("records").asLong()).isEqualTo(60);
        assertThat(job.json().at("/streams/0/end_state/id").asLong()).isEqualTo(60);
        assertThat(job.json().at("/streams/0/connectors").asText()).as("connector versions recorded with the job").isEqualTo("faker 0.1.0 -> local 0.1.0");
        try (ParquetQuery duck = new ParquetQuery()) {
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(home.resolve("lake/raw/api/users")))).isEqualTo(60);
        }
        long id = job.json().get("id").asLong();
        assertThat(api.get("/jobs/" + id).json().get("status").asText()).isEqualTo("succeeded");
        assertThat(api.get("/jobs?connection=c1").json().get("jobs")).singleElement().satisfies(j -> assertThat(j.get("status").asText()).isEqualTo("succeeded"));
        assertThat(api.get("/connections/c1").json().at("/status/last_job/id").asLong()).isEqualTo(id);

        Response started = api.post("/connections/sync", "{\"connection\":\"c1\"}");
        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().get("id").asLong()).isGreaterThan(id);
    }

    @Test
    @Order(7)
    void syncAndJobErrors() throws Exception {
        assertThat(api.post("/connections/sync", "{\"connection\":\"nope\"}").status()).isEqualTo(404);
        assertProblem(api.post("/connections/sync", "{\"connection\":5}"), 400, "connection", "must be a string");
        assertProblem(api.post("/connections/sync", "{}"), 400, "connection", "is required");
        assertProblem(api.post("/connections/sync", "{\"connection\":\"c1\",\"wat\":1}"), 400, "wat", "unknown field");
        assertProblem(api.post("/connections/sync", "{\"connection\":\"c1\",\"wait\":\"yes\"}"), 400, "wait", "true or false");
        assertProblem(api.post("/connections/sync", "not json"), 400, "(body)", "not valid JSON");
        assertThat(api.get("/jobs/999999").status()).isEqualTo(404);
        assertProblem(api.get("/jobs/abc"), 400, "id", "whole number");
        assertThat(api.get("/jobs?connection=nope").status()).isEqualTo(404);
        assertProblem(api.get("/jobs?status=done"), 400, "?status", "use one or more of running, succeeded, failed");
        assertProblem(api.get("/jobs?connection=c1&limit=0"), 400, "?limit", "between 1 and 1000");
        Thread.sleep(500);
        long finished = api.get("/jobs?connection=c1&limit=1").json().at("/jobs/0/id").asLong();
        awaitIdle();
        assertThat(api.post("/jobs/" + finished + "/cancel", "").status()).isEqualTo(409);
        Response page = api.get("/jobs?connection=c1&limit=1&offset=1");
        assertThat(page.json().get("jobs")).as(page.text()).hasSize(1);
        assertThat(page.json().at("/jobs/0/id").asLong()).isLessThan(finished);
    }

    @Test
    @Order(8)
    void enableDisableResetExportAndApply() {
        awaitIdle();
        assertThat(api.post("/connections/c1/disable", "").json().get("enabled").asBoolean()).isFalse();
        assertThat(api.post("/connections/c1/enable", "").json().get("enabled").asBoolean()).isTrue();

        Response reset = api.post("/connections/reset", "{\"connection\":\"c1\"}");
        assertThat(reset.json().get("reset_streams").get(0).asText()).isEqualTo("users");
        assertProblem(api.post("/connections/reset", "{\"connection\":\"c1\",\"streams\":[\"orders\"]}"), 400, "streams", "users");
        Response afterReset = api.post("/connections/sync", "{\"connection\":\"c1\",\"wait\":true}");
        assertThat(afterReset.json().get("records").asLong()).as("a reset stream starts over").isEqualTo(60);

        Response export = api.get("/export?connection=c1");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).contains("yaml");
        assertThat(export.text()).contains("name: src").contains("name: lake").contains("name: c1");
        Response dryRun = api.postYaml("/apply?dry_run=true", export.text());
        assertThat(dryRun.status()).as(dryRun.text()).isEqualTo(200);
        assertThat(dryRun.json().get("changes").findValuesAsText("action")).containsOnly("unchanged");

        // applying what is stored changes nothing, and leaves the routes running; a route file deleted since comes back
        Path routeFile = server.routes().resolve("c1.yaml");
        FileTime written = modified(routeFile);
        Response same = api.postYaml("/apply", export.text());
        assertThat(same.status()).as(same.text()).isEqualTo(200);
        assertThat(same.json().get("changes").findValuesAsText("action")).containsOnly("unchanged");
        assertThat(modified(routeFile)).as("the route file was not written again").isEqualTo(written);
        deleteFile(routeFile);
        Response restored = api.postYaml("/apply", export.text());
        assertThat(restored.status()).as(restored.text()).isEqualTo(200);
        assertThat(routeFile).as("an unchanged apply writes a deleted route file again").exists();
        assertThat(server.server().camelContext().getRoute("c1.users")).isNotNull();

        Response applied = api.postYaml("/apply", export.text().replace("count: 60", "count: 70"));
        assertThat(applied.json().get("changes").get(0).get("action").asText()).isEqualTo("update");
        assertThat(applied.json().get("changes").get(1).get("action").asText()).isEqualTo("unchanged");
        assertThat(api.get("/sources/src").json().at("/config/count").asInt()).isEqualTo(70);
        assertProblem(api.postYaml("/apply", "connections: [{name: x}]"), 400, "connections[0].source", "");
        assertProblem(api.get("/export?connection=c1").status() == 200 ? api.postYaml("/apply?dry_run=maybe", "") : null, 400, "?dry_run", "true or false");
        assertThat(api.get("/export?connection=nope").status()).isEqualTo(404);
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteFile(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(9)
    void deletingRespectsReferences() throws Exception {
        awaitIdle();
        assertThat(api.delete("/sources/src").status()).isEqualTo(409);
        assertThat(api.delete("/connections/c1").status()).isEqualTo(204);
        assertThat(server.routes().resolve("c1.yaml")).doesNotExist();
        assertThat(api.get("/connections/c1").status()).isEqualTo(404);
        assertThat(server.server().camelContext().getRoute("c1.users")).isNull();
        assertThat(api.delete("/sources/src").status()).isEqualTo(204);
        assertThat(api.delete("/sources/src").status()).isEqualTo(404);
    }

    @Test
    @Order(10)
    void theOpenApiDocumentValidatesAndListsEveryOperation() {
        Response doc = api.get("/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(doc.text());
        assertThat(parsed.getMessages()).as("OpenAPI validation messages").isEmpty();
        TreeSet<String> operations = new TreeSet<>();
        parsed.getOpenAPI().getPaths().forEach((path, item) -> item.readOperations().forEach(op -> operations.add(op.getOperationId())));
        assertThat(operations).containsExactlyInAnyOrder("listConnectors", "getConnectorSpec", "testHttpManifest",
                "listSources", "createSource", "getSource", "updateSource", "deleteSource", "checkSource", "discoverSource",
                "listDestinations", "createDestination", "getDestination", "updateDestination", "deleteDestination", "checkDestination",
                "listConnections", "createConnection", "getConnection", "updateConnection", "deleteConnection", "enableConnection",
                "disableConnection", "syncConnection", "resetConnection", "acceptSchemaChanges", "listJobs", "getJob", "getJobLogs", "cancelJob", "replayJob", "exportConfig", "applyConfig", "listRouteFiles", "listClusterNodes",
                "listTokens", "createToken", "revokeToken");
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/sources/{name}", "/connections/sync", "/jobs/{id}/cancel");
    }

    private static void awaitIdle() {
        long deadline = System.currentTimeMillis() + 30_000;
        while (api.get("/connections/c1").json().at("/status/running_job_id").isIntegralNumber() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
