package dev.caravan.e2e;

import dev.caravan.testing.TestingPostgres;
import java.sql.Connection;
import java.sql.SQLException;

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
    Connection connect() throws SQLException {
        return postgres.connect();
    }
}
