package dev.caravan.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Failures become one-line messages naming the server, the cause and the fix, with the right error type. */
class JdbcErrorsTest {
    private static final JdbcSettings SETTINGS = new JdbcSettings("jdbc:x://h/db", null, new Properties(), "alice", "pa55-w0rd", List.of(),
            10, 5, "X at h:1, database db");

    @Test
    void connectionFailuresAreClassifiedByCause() {
        assertConnecting(new SQLException("fail", "08001", new UnknownHostException("h")), ErrorType.CONFIG, "cannot be resolved");
        assertConnecting(new SQLException("fail", "08001", new ConnectException("Connection refused")), ErrorType.TRANSIENT, "refused");
        assertConnecting(new SQLException("FATAL: password authentication failed for user \"alice\" (pa55-w0rd)", "28P01"), ErrorType.CONFIG,
                "authentication failed for user 'alice'");
        assertConnecting(new SQLException("FATAL: database \"db\" does not exist", "3D000"), ErrorType.CONFIG, "the database does not exist");
        // a pool's timeout wraps the driver's refusal: the refusal is what the user needs to read
        assertConnecting(new SQLTransientConnectionException("pool - Connection is not available", "28000",
                new SQLException("Access denied for user 'alice'", "28000", 1045)), ErrorType.CONFIG, "Access denied");
    }

    @Test
    void readFailuresFollowTheErrorTaxonomy() {
        assertDuring(new SQLException("terminating connection due to administrator command", "57P01"), ErrorType.TRANSIENT, "resume");
        assertDuring(new SQLException("could not serialize access", "40001"), ErrorType.TRANSIENT, "resume");
        assertDuring(new SQLException("relation \"t\" does not exist", "42P01"), ErrorType.CONFIG, "run discover");
        assertDuring(new SQLException("permission denied for table t", "42501"), ErrorType.CONFIG, "grant the user SELECT");
    }

    private static void assertConnecting(Throwable failure, ErrorType type, String text) {
        CaravanException e = JdbcErrors.connecting(failure, SETTINGS);
        assertThat(e.type()).as(e.getMessage()).isEqualTo(type);
        assertThat(e.getMessage()).contains("X at h:1, database db").contains(text).doesNotContain("pa55-w0rd").doesNotContain("\n");
    }

    private static void assertDuring(Throwable failure, ErrorType type, String text) {
        CaravanException e = JdbcErrors.during("reading \"t\"", failure, SETTINGS);
        assertThat(e.type()).as(e.getMessage()).isEqualTo(type);
        assertThat(e.getMessage()).contains("reading \"t\"").contains(text);
    }
}
