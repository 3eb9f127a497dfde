package dev.caravan.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.TestingMariaDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The MariaDB fixture creates a database that the test can use, and drops it on close. */
class TestingMariaDbTest {
    @Test
    void createsAndDropsItsOwnDatabase() throws Exception {
        String name;
        try (TestingMariaDb maria = new TestingMariaDb(); Connection c = maria.connect(); Statement s = c.createStatement()) {
            name = maria.database();
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (1), (2)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
        try (TestingMariaDb other = new TestingMariaDb(); Connection c = other.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + name + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
