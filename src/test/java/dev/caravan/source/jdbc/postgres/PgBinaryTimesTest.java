package dev.caravan.source.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.jdbc.ValueReader;
import dev.caravan.testing.TestingPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * timestamp and timestamptz read from their binary format give what the driver's own decoding gives, value for value —
 * across day boundaries in both directions (the date is kept from the row before), for ±infinity, BC and the largest
 * year — and the same when binary transfer is off (jdbc_params), where the text 'infinity' is 8 bytes long too.
 */
class PgBinaryTimesTest {
    private static final String VALUES = "('2024-01-01 23:59:59.999999'), ('2024-01-02 00:00:00'), ('2024-01-01 12:00:00.5'), ('2024-01-01 12:00:01'),"
            + " ('infinity'), ('-infinity'), ('4713-01-01 00:00:00 BC'), ('0001-12-31 23:59:59.999999 BC'), ('294276-12-31 23:59:59.999999'),"
            + " ('1970-01-01 00:00:00'), ('1969-12-31 23:59:59.999999'), ('2000-01-01 00:00:00'), ('1999-12-31 23:59:59.999999'), (NULL)";
    private static TestingPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = new TestingPostgres();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void binaryTimestampsReadAsTheDriverReadsThem() throws Exception {
        assertSameAsDriver("timestamp", PgBinaryTimes.TIMESTAMP, PostgresTypes.TIMESTAMP_VIA_DRIVER);
        assertSameAsDriver("timestamptz", PgBinaryTimes.TIMESTAMP_TZ, PostgresTypes.TIMESTAMP_TZ_VIA_DRIVER);
    }

    private static void assertSameAsDriver(String type, ValueReader fast, ValueReader driver) throws Exception {
        for (String binaryOff : List.of("", "TIMESTAMP,TIMESTAMPTZ")) {
            Properties properties = new Properties();
            properties.setProperty("user", postgres.user());
            properties.setProperty("prepareThreshold", "-1");
            properties.setProperty("binaryTransferDisable", binaryOff);
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), properties)) {
                c.createStatement().execute("SET TIME ZONE 'UTC'");
                List<Object> read = new ArrayList<>();
                List<Object> expected = new ArrayList<>();
                List<Integer> lengths = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT v::" + type + " FROM (VALUES " + VALUES + ") AS t(v)");
                     ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        lengths.add(rs.getBytes(1) == null ? null : rs.getBytes(1).length);
                        read.add(fast.read(rs, 1));
                        expected.add(driver.read(rs, 1));
                    }
                }
                assertThat(read).as("%s, binary transfer off for '%s'", type, binaryOff).hasSize(14).isEqualTo(expected);
                assertThat(read.get(4)).isSameAs(ValueReader.UNREPRESENTABLE);
                assertThat(read.get(5)).isSameAs(ValueReader.UNREPRESENTABLE);
                assertThat(read.get(13)).isNull();
                // the format the values came in: 8 bytes each in binary; text ('infinity' is 8 bytes long as text too)
                assertThat(lengths.get(0)).as("bytes of the first value").isEqualTo(binaryOff.isEmpty() ? 8 : "2024-01-01 23:59:59.999999".length() + (type.equals("timestamptz") ? 3 : 0));
            }
        }
    }
}
