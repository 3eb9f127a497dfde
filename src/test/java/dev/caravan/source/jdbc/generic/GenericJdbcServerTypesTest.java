package dev.caravan.source.jdbc.generic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.SyncMode;
import dev.caravan.testing.TestingMariaDb;
import dev.caravan.testing.TestingPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generic {@code jdbc} connector on PostgreSQL and MariaDB, in a non-UTC JVM: types the drivers report loosely
 * (bit strings, money, timestamptz as TIMESTAMP, timetz, unsigned integers, TINYINT(1)) keep their values, and values
 * Parquet cannot hold (NaN, ±infinity, 24:00, zero dates, times outside a day) are null with a change: no stream fails.
 */
class GenericJdbcServerTypesTest {
    private static final GenericJdbcSource SOURCE = new GenericJdbcSource();
    private static final TimeZone JVM_ZONE = TimeZone.getDefault();
    private static TestingPostgres pg;
    private static TestingMariaDb maria;

    @BeforeAll
    static void start() throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Paris"));
        pg = new TestingPostgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE g (id int PRIMARY KEY, b4 bit(4), vb varbit, b1 bit(1), m money, tz timestamptz, ttz timetz, t time,
                      n numeric, n2 numeric(10,2), d date, ts timestamp);
                    INSERT INTO g VALUES
                    (1, B'1010', B'101', B'1', 12.34, '2024-02-29 13:45:30.123456+02', '13:45:30+02', '24:00', 'NaN', 'NaN', 'infinity',
                     '-infinity'),
                    (2, B'0000', B'', B'0', -1, '1969-12-31 23:59:59.999999+00', '00:00:00-11', '13:45:30.123456', 1.5, 12.5,
                     '0044-03-15 BC', '2024-03-31 02:30:00.5'),
                    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""");
        }
        maria = new TestingMariaDb();
        try (Connection c = maria.connect(); Statement s = c.createStatement()) {
            s.execute("SET sql_mode = ''");
            s.execute("""
                    CREATE TABLE g (id INT PRIMARY KEY, tb TINYINT(1), iu INT UNSIGNED, bu BIGINT UNSIGNED, b8 BIT(8), b1 BIT(1), d DATE,
                      dt DATETIME(6), t TIME(6), y YEAR, d65 DECIMAL(65,10))""");
            s.execute("""
                    INSERT INTO g VALUES
                    (1, 2, 4294967295, 18446744073709551615, b'10101010', b'1', '0000-00-00', '0000-00-00 00:00:00', '-838:59:59', 2024,
                     '1234567890123456789012345678901234567890123456789012345.0123456789'),
                    (2, 1, 0, 0, b'1', b'0', '2024-02-29', '2024-03-31 02:30:00.123456', '13:45:30.123456', 1901, 0),
                    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""");
        }
    }

    @AfterAll
    static void stop() {
        TimeZone.setDefault(JVM_ZONE);
        if (pg != null) {
            pg.close();
        }
        if (maria != null) {
            maria.close();
        }
    }

    @Test
    void postgresValuesArriveOrAreNulledWithAChange() {
        ConnectorConfig config = SOURCE.spec().validate(Map.of("url", pg.jdbcUrl(), "username", "postgres", "schemas", "public"), "");
        Map<Integer, List<Object>> rows = new LinkedHashMap<>();
        Map<Integer, List<String>> changes = read(config, "public.g", rows);
        assertThat(rows.get(1)).containsExactly(1, "1010", "101", true, "$12.34", Instant.parse("2024-02-29T11:45:30.123456Z"), "13:45:30+02",
                null, null, null, null, null);
        assertThat(rows.get(2)).containsExactly(2, "0000", "", false, "-$1.00", Instant.parse("1969-12-31T23:59:59.999999Z"), "00:00:00-11",
                LocalTime.parse("13:45:30.123456"), new BigDecimal("1.500000000"), new BigDecimal("12.50"), LocalDate.of(-43, 3, 15),
                LocalDateTime.parse("2024-03-31T02:30:00.5"));
        assertThat(rows.get(3)).containsExactly(3, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(changes).isEqualTo(Map.of(1, List.of("t", "n", "n2", "d", "ts"), 2, List.of(), 3, List.of()));
    }

    @Test
    void mariaDbValuesArriveOrAreNulledWithAChange() {
        ConnectorConfig config = SOURCE.spec().validate(Map.of("url", maria.jdbcUrl(), "username", "root", "schemas", maria.database()), "");
        Map<Integer, List<Object>> rows = new LinkedHashMap<>();
        Map<Integer, List<String>> changes = read(config, maria.database() + ".g", rows);
        assertThat(rows.get(1)).containsExactly(1, null, 4294967295L, new BigDecimal("18446744073709551615"), "10101010", true, null, null, null,
                2024, "1234567890123456789012345678901234567890123456789012345.0123456789");
        assertThat(rows.get(2)).containsExactly(2, true, 0L, BigDecimal.ZERO, "00000001", false, LocalDate.of(2024, 2, 29),
                LocalDateTime.parse("2024-03-31T02:30:00.123456"), LocalTime.parse("13:45:30.123456"), 1901, "0.0000000000");
        assertThat(rows.get(3)).containsExactly(3, null, null, null, null, null, null, null, null, null, null);
        assertThat(changes).isEqualTo(Map.of(1, List.of("tb", "d", "dt", "t"), 2, List.of(), 3, List.of()));
    }

    private static Map<Integer, List<String>> read(ConnectorConfig config, String stream, Map<Integer, List<Object>> rows) {
        Map<Integer, List<String>> changes = new LinkedHashMap<>();
        for (RecordBatch batch : JdbcTesting.batches(SOURCE, config,
                JdbcTesting.request(stream, SyncMode.FULL_REFRESH_APPEND, null, List.of("id"), Map.of(), 1000))) {
            for (int r = 0; r < batch.size(); r++) {
                Object[] row = batch.rows().get(r);
                rows.put((Integer) row[0], Arrays.asList(row));
                List<String> fields = new ArrayList<>();
                for (FieldChange change : batch.changesOf(r)) {
                    fields.add(change.field());
                }
                changes.put((Integer) row[0], fields);
            }
        }
        return changes;
    }
}
