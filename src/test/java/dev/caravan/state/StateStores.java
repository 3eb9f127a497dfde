package dev.caravan.state;

import dev.caravan.testing.TestingPostgres;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The metadata store of a repository test on each database it runs on: an embedded H2 file per name, or the one real
 * PostgreSQL of the test class (started at its first use), emptied of the tables the test fills.
 */
final class StateStores implements AutoCloseable {
    private TestingPostgres postgres;

    /** The kinds of store a parameterized test runs on. */
    static Stream<String> kinds() {
        return Stream.of("h2", "postgresql");
    }

    /** The store of {@code kind}: H2 in {@code h2File}, or PostgreSQL with {@code emptiedTables} emptied. */
    StateDatabase open(String kind, Path h2File, String... emptiedTables) {
        if (kind.equals("h2")) {
            return StateDatabase.open("jdbc:h2:file:" + h2File, "", "");
        }
        if (postgres == null) {
            postgres = new TestingPostgres();
        }
        StateDatabase db = StateDatabase.open(postgres.jdbcUrl(), postgres.user(), "");
        for (String table : emptiedTables) {
            new Sql(db.dataSource()).update("DELETE FROM " + table);
        }
        return db;
    }

    @Override
    public void close() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
