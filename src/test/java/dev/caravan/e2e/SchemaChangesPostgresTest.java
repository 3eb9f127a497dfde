package dev.caravan.e2e;

import dev.caravan.testing.TestingPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.SchemaChange.Action;
import dev.caravan.sync.SchemaChange.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** Schema change detection against PostgreSQL: ALTER TABLE between syncs, Parquet read back with DuckDB. */
class SchemaChangesPostgresTest extends SchemaChangesScenarios {
    private TestingPostgres postgres;

    @Override
    void startDatabase() {
        postgres = new TestingPostgres();
    }

    @Override
    void stopDatabase() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    String sourceYaml() {
        return "  - {name: db, connector: postgres, config: {host: 127.0.0.1, port: %d, database: %s, username: postgres, schemas: public}}"
                .formatted(postgres.port(), postgres.database());
    }

    @Override
    String stream(String table) {
        return "public." + table;
    }

    @Override
    String retype(String table, String column, String type) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE " + type;
    }

    @Override
    String timestampType() {
        return "TIMESTAMP";
    }

    @Override
    String floatType() {
        return "REAL";
    }

    @Override
    String doubleType() {
        return "DOUBLE PRECISION";
    }

    @Override
    String jsonType() {
        return "JSONB";
    }

    @Override
    Connection connect() throws SQLException {
        return postgres.connect();
    }

    /** New tables in the source: added and synced under propagate_all, noted once under propagate_columns (own schema, own source). */
    @Test
    void newStreamsAreAddedUnderPropagateAllAndNotedOnceOtherwise() throws Exception {
        sql("CREATE SCHEMA extra", "CREATE TABLE extra.a (id INT PRIMARY KEY)", "INSERT INTO extra.a VALUES (1)");
        server.server().apply("""
                sources:
                  - {name: db2, connector: postgres, config: {host: 127.0.0.1, port: %d, database: %s, username: postgres, schemas: extra}}
                connections:
                  - {name: all, source: db2, destination: lake, namespace: all, schema_changes: propagate_all, streams: [{name: extra.a}]}
                  - {name: cols, source: db2, destination: lake, namespace: cols, streams: [{name: extra.a}]}
                """.formatted(postgres.port(), postgres.database()), "extra.yaml");
        assertThat(sync("all", JobStatus.SUCCEEDED).schemaChanges()).isEmpty();
        assertThat(sync("cols", JobStatus.SUCCEEDED).schemaChanges()).isEmpty();
        sql("CREATE TABLE extra.b (id INT PRIMARY KEY, label TEXT)", "INSERT INTO extra.b VALUES (1, 'x'), (2, 'y')");

        JobRecord found = sync("all", JobStatus.SUCCEEDED);
        assertThat(found.schemaChanges()).extracting(SchemaChange::stream, SchemaChange::kind, SchemaChange::action)
                .containsExactly(tuple("extra.b", Kind.STREAM_ADDED, Action.APPLIED));
        assertThat(api.get("/jobs/" + found.id()).json().get("schema_changes").findValuesAsText("kind")).containsExactly("stream_added");
        dev.caravan.testing.Await.until("extra.b added to connection all",
                () -> server.server().configs().connection("all").orElseThrow().stream("extra.b").isPresent());
        server.awaitStartedRoute(dev.caravan.routes.RouteGenerator.streamRouteId("all", "extra.b"), null);
        JobRecord next = sync("all", JobStatus.SUCCEEDED);
        assertThat(next.streams()).extracting(s -> s.stream()).contains("extra.b");
        assertThat(next.schemaChanges()).isEmpty();
        assertThat(duck.count("SELECT count(*) FROM read_parquet('" + lake.resolve("raw/all/extra.b") + "/**/*.parquet')")).isEqualTo(2);

        JobRecord noted = sync("cols", JobStatus.SUCCEEDED);
        assertThat(noted.schemaChanges()).extracting(SchemaChange::stream, SchemaChange::action).containsExactly(tuple("extra.b", Action.NOTED));
        assertThat(noted.schemaChanges().get(0).note()).contains("add the stream to the connection to sync it");
        assertThat(server.server().configs().connection("cols").orElseThrow().stream("extra.b")).isEmpty();
        assertThat(sync("cols", JobStatus.SUCCEEDED).schemaChanges()).as("noted once").isEmpty();
    }
}
