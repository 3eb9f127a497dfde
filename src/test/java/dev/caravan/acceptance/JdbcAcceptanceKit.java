package dev.caravan.acceptance;

import dev.caravan.spi.SyncMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The acceptance kit for the JDBC sources: the same two tables on each database — {@code kit_items} with a primary key
 * and an integer cursor shared by ten rows each, {@code kit_log} without key — read in full refresh and incremental modes.
 */
abstract class JdbcAcceptanceKit extends SourceAcceptanceKit {
    static final int ROWS = 150;

    /** Creates the tables with a connection to the database the configuration reads. */
    static void createTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kit_items (id INT NOT NULL PRIMARY KEY, name VARCHAR(20), ver INT NOT NULL)");
            s.execute("CREATE TABLE kit_log (id INT NOT NULL, ver INT NOT NULL)");
            StringBuilder items = new StringBuilder("INSERT INTO kit_items VALUES ");
            StringBuilder log = new StringBuilder("INSERT INTO kit_log VALUES ");
            for (int i = 1; i <= ROWS; i++) {
                items.append(i > 1 ? ", " : "").append('(').append(i).append(", ").append(i % 13 == 0 ? "NULL" : "'item " + i + "'")
                        .append(", ").append(i / 10).append(')');
                log.append(i > 1 ? ", " : "").append('(').append(i).append(", ").append(i / 4).append(')');
            }
            s.execute(items.toString());
            s.execute(log.toString());
        }
    }

    /** The stream name of table {@code table} on this database. */
    protected abstract String stream(String table);

    /** The name of column {@code column} as the database reports it (H2 upper-cases unquoted names). */
    protected String column(String column) {
        return column;
    }

    @Override
    protected List<StreamCase> streams() {
        List<List<String>> items = new ArrayList<>();
        List<List<String>> log = new ArrayList<>();
        for (int i = 1; i <= ROWS; i++) {
            items.add(List.of(Integer.toString(i), i % 13 == 0 ? "null" : "item " + i, Integer.toString(i / 10)));
            log.add(List.of(Integer.toString(i), Integer.toString(i / 4)));
        }
        return List.of(
                new StreamCase(stream("kit_items"), SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(), items),
                new StreamCase(stream("kit_items"), SyncMode.INCREMENTAL_APPEND, column("ver"), List.of(), items),
                new StreamCase(stream("kit_items"), SyncMode.INCREMENTAL_APPEND_DEDUPED, column("ver"), List.of(column("id")), items, 4),
                new StreamCase(stream("kit_log"), SyncMode.FULL_REFRESH_APPEND, null, List.of(), log, 1000),
                new StreamCase(stream("kit_log"), SyncMode.INCREMENTAL_APPEND, column("ver"), List.of(), log, 5));
    }
}
