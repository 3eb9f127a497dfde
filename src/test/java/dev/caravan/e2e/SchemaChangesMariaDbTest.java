package dev.caravan.e2e;

import dev.caravan.testing.TestingMariaDb;
import java.sql.Connection;
import java.sql.SQLException;

/** Schema change detection against MariaDB: ALTER TABLE between syncs, Parquet read back with DuckDB. */
class SchemaChangesMariaDbTest extends SchemaChangesScenarios {
    private TestingMariaDb mariadb;

    @Override
    void startDatabase() {
        mariadb = new TestingMariaDb();
    }

    @Override
    void stopDatabase() {
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @Override
    String sourceYaml() {
        return "  - {name: db, connector: mysql, config: {host: 127.0.0.1, port: %d, database: %s, username: root}}"
                .formatted(mariadb.port(), mariadb.database());
    }

    @Override
    String stream(String table) {
        return mariadb.database() + "." + table;
    }

    @Override
    String retype(String table, String column, String type) {
        return "ALTER TABLE " + table + " MODIFY " + column + " " + type;
    }

    @Override
    String timestampType() {
        return "DATETIME";
    }

    @Override
    String floatType() {
        return "FLOAT";
    }

    @Override
    String doubleType() {
        return "DOUBLE";
    }

    @Override
    String jsonType() {
        return "JSON";
    }

    @Override
    Connection connect() throws SQLException {
        return mariadb.connect();
    }
}
