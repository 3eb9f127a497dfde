package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.sun.net.httpserver.HttpServer;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.SchemaChange.Action;
import dev.caravan.sync.SchemaChange.Kind;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema change detection for an HTTP API whose manifest declares no schema: the schema inferred from the records is
 * compared between syncs like a database's (a new field is a new column; a field whose values became text stops the stream).
 */
class HttpSchemaChangesTest {
    private volatile String items;

    @Test
    void anInferredSchemaThatChangesIsDetected(@TempDir Path home) throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/things", exchange -> {
            byte[] body = ("{\"items\": " + items + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        Path manifest = home.resolve("things.yaml");
        Files.writeString(manifest, """
                version: 1
                base_url: http://127.0.0.1
                streams:
                  - name: things
                    path: /things
                    records: /items
                    primary_key: [id]
                """);
        Path lake = home.resolve("lake");
        try (TestingServer server = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            server.server().apply("""
                    sources: [{name: api, connector: http, config: {manifest: "%s", base_url: "http://127.0.0.1:%d"}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - {name: things, source: api, destination: lake, namespace: api, streams: [{name: things, sync_mode: full_refresh_append}]}
                    """.formatted(manifest, api.getAddress().getPort(), lake), "http.yaml");
            items = "[{\"id\": 1, \"score\": 10}]";
            assertThat(sync(server, JobStatus.SUCCEEDED).streams().get(0).schemaChanges()).isEmpty();

            items = "[{\"id\": 1, \"score\": 10, \"email\": \"a@x.org\"}, {\"id\": 2, \"score\": 20, \"email\": \"b@x.org\"}]";
            JobRecord added = sync(server, JobStatus.SUCCEEDED);
            assertThat(added.streams().get(0).schemaChanges()).extracting(SchemaChange::kind, SchemaChange::column, SchemaChange::action)
                    .containsExactly(tuple(Kind.COLUMN_ADDED, "email", Action.APPLIED));
            String files = "read_parquet('" + lake.resolve("raw/api/things") + "/**/*.parquet', union_by_name = true)";
            assertThat(duck.count("SELECT count(*) FROM " + files + " WHERE email IS NOT NULL")).isEqualTo(2);

            items = "[{\"id\": 3, \"score\": \"high\", \"email\": \"c@x.org\"}]";
            JobRecord retyped = sync(server, JobStatus.FAILED);
            assertThat(retyped.errorMessage()).contains("TYPE_CHANGED score (int64 -> string)");
            assertThat(duck.count("SELECT count(*) FROM " + files)).as("nothing written by the stopped stream").isEqualTo(3);
        } finally {
            api.stop(0);
        }
    }

    private static JobRecord sync(TestingServer server, JobStatus expected) {
        JobRecord job = server.server().syncNow("things").orElseThrow();
        assertThat(job.status()).as(job.errorMessage()).isEqualTo(expected);
        return job;
    }

}
