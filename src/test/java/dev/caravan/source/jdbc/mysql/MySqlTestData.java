package dev.caravan.source.jdbc.mysql;

import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.testing.TestingMariaDb;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Tables, rows and the values expected back from Parquet for {@link MySqlSourceTest}. */
public final class MySqlTestData {
    private MySqlTestData() {
    }

    public static final String ALL_TYPES_DDL = """
            CREATE TABLE all_types (
              id INT PRIMARY KEY,
              c_tinyint TINYINT, c_tinyint_u TINYINT UNSIGNED, c_bool TINYINT(1), c_smallint SMALLINT, c_smallint_u SMALLINT UNSIGNED,
              c_mediumint MEDIUMINT, c_mediumint_u MEDIUMINT UNSIGNED, c_int INT, c_int_u INT UNSIGNED, c_bigint BIGINT,
              c_bigint_u BIGINT UNSIGNED, c_decimal DECIMAL(10,2), c_decimal_u DECIMAL(10,2) UNSIGNED, c_decimal_65 DECIMAL(65,10),
              c_float FLOAT, c_double DOUBLE, c_bit1 BIT(1), c_bit8 BIT(8),
              c_char CHAR(5), c_varchar VARCHAR(50), c_text TEXT, c_enum ENUM('sad','ok','happy'), c_set SET('a','b','c'),
              c_date DATE, c_datetime DATETIME(6), c_timestamp TIMESTAMP(6) NULL, c_time TIME(6), c_year YEAR,
              c_json JSON, c_binary BINARY(3), c_varbinary VARBINARY(10), c_blob BLOB
            )""";

    public static final String ALL_TYPES_ROWS = """
            INSERT INTO all_types VALUES
            (1, -128, 255, 1, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
             12345678.91, 99999999.99, '1234567890123456789012345678901234567890123456789012345.0123456789', 1.5, 3.141592653589793,
             b'1', b'10101010', 'ab', 'héllo wörld 😀', 'multi\\nline "quoted"', 'happy', 'a,c', '2024-02-29', '2024-02-29 13:45:30.123456',
             '2024-02-29 13:45:30.123456', '13:45:30.123456', 2024, '{"b": [1, 2], "a": "x"}', x'00ff10', x'deadbeef', x'0102'),
            (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
            (3, 127, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, -99999999.99, 0, 0, -1.5, -0.0, b'0', b'0', '', '', '', 'sad', '',
             '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '-838:59:59', 0, '[]', x'000000', x'', x''),
            (4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3.4e38, 1e-300, b'1', b'11111111', 'xyzzy', 'ünïcödé', REPEAT('long ', 1000),
             'ok', 'a,b,c', '2024-00-15', '1000-01-01 00:00:00', '1970-01-01 00:00:01', '838:59:59', 1901,
             '{"nested": {"deep": [true, null, 1e3]}}', x'ffffff', x'00', x'00')
            """;

    static final int ALL_TYPES_COUNT = 4;

    static final Map<String, String> PARQUET_TYPES = Map.ofEntries(
            Map.entry("id", "INTEGER"), Map.entry("c_tinyint", "INTEGER"), Map.entry("c_tinyint_u", "INTEGER"), Map.entry("c_bool", "BOOLEAN"),
            Map.entry("c_smallint", "INTEGER"), Map.entry("c_smallint_u", "INTEGER"), Map.entry("c_mediumint", "INTEGER"),
            Map.entry("c_mediumint_u", "INTEGER"), Map.entry("c_int", "INTEGER"), Map.entry("c_int_u", "BIGINT"), Map.entry("c_bigint", "BIGINT"),
            Map.entry("c_bigint_u", "DECIMAL(20,0)"), Map.entry("c_decimal", "DECIMAL(10,2)"), Map.entry("c_decimal_u", "DECIMAL(10,2)"),
            Map.entry("c_decimal_65", "VARCHAR"), Map.entry("c_float", "FLOAT"), Map.entry("c_double", "DOUBLE"), Map.entry("c_bit1", "BOOLEAN"),
            Map.entry("c_bit8", "BLOB"), Map.entry("c_char", "VARCHAR"), Map.entry("c_varchar", "VARCHAR"), Map.entry("c_text", "VARCHAR"),
            Map.entry("c_enum", "VARCHAR"), Map.entry("c_set", "VARCHAR"), Map.entry("c_date", "DATE"), Map.entry("c_datetime", "TIMESTAMP"),
            Map.entry("c_timestamp", "TIMESTAMP WITH TIME ZONE"), Map.entry("c_time", "TIME"), Map.entry("c_year", "INTEGER"),
            Map.entry("c_json", "JSON"), Map.entry("c_binary", "BLOB"), Map.entry("c_varbinary", "BLOB"), Map.entry("c_blob", "BLOB"));

    private static final List<String> COLUMNS = List.of("c_tinyint", "c_tinyint_u", "c_bool", "c_smallint", "c_smallint_u", "c_mediumint",
            "c_mediumint_u", "c_int", "c_int_u", "c_bigint", "c_bigint_u", "c_decimal", "c_decimal_u", "c_decimal_65", "c_float", "c_double",
            "c_bit1", "c_bit8", "c_char", "c_varchar", "c_text", "c_enum", "c_set", "c_date", "c_datetime", "c_timestamp", "c_time", "c_year",
            "c_json", "c_binary", "c_varbinary", "c_blob");

    static final String DUCK_SELECT = "id, " + String.join(", ", COLUMNS.stream().map(c -> switch (c) {
        case "c_timestamp" -> "CAST(epoch_us(c_timestamp) AS VARCHAR) AS c_timestamp";
        case "c_bit8", "c_binary", "c_varbinary", "c_blob" -> "hex(" + c + ") AS " + c;
        default -> "CAST(" + c + " AS VARCHAR) AS " + c;
    }).toList());

    static Map<Integer, Map<String, String>> expectedRows() {
        Map<Integer, Map<String, String>> rows = new LinkedHashMap<>();
        rows.put(1, row("-128", "255", "true", "-32768", "65535", "-8388608", "16777215", "-2147483648", "4294967295", "-9223372036854775808",
                "18446744073709551615", "12345678.91", "99999999.99", "1234567890123456789012345678901234567890123456789012345.0123456789",
                "1.5", "3.141592653589793", "true", "AA", "ab", "héllo wörld 😀", "multi\nline \"quoted\"", "happy", "a,c", "2024-02-29",
                "2024-02-29 13:45:30.123456", micros("2024-02-29T13:45:30.123456Z"), "13:45:30.123456", "2024", "{\"b\": [1, 2], \"a\": \"x\"}",
                "00FF10", "DEADBEEF", "0102"));
        Map<String, String> nulls = new HashMap<>();
        COLUMNS.forEach(c -> nulls.put(c, null));
        rows.put(2, nulls);
        rows.put(3, row("127", "0", null, "0", "0", "0", "0", "0", "0", "0", "0", "-99999999.99", "0.00", "0.0000000000", "-1.5", "0.0",
                "false", "00", "", "", "", "sad", "", null, null, null, null, "0", "[]", "000000", "", ""));
        rows.put(4, row("0", "0", "false", "0", "0", "0", "0", "0", "0", "0", "0", "0.00", "0.00", "0.0000000000", "3.4e+38", "1e-300",
                "true", "FF", "xyzzy", "ünïcödé", "long ".repeat(1000), "ok", "a,b,c", null, "1000-01-01 00:00:00", micros("1970-01-01T00:00:01Z"),
                null, "1901", "{\"nested\": {\"deep\": [true, null, 1e3]}}", "FFFFFF", "00", "00"));
        return rows;
    }

    static Map<Integer, TreeSet<String>> expectedNulled() {
        return Map.of(1, new TreeSet<>(), 2, new TreeSet<>(),
                3, new TreeSet<>(List.of("c_bool", "c_date", "c_datetime", "c_timestamp", "c_time")),
                4, new TreeSet<>(List.of("c_date", "c_time")));
    }

    private static Map<String, String> row(String... values) {
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            row.put(COLUMNS.get(i), values[i]);
        }
        return row;
    }

    private static String micros(String instant) {
        return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant)));
    }

    static final String ODD_TABLE = "Mixed Case Täble";

    static final String[] ODD_DDL = {
        "CREATE TABLE `Mixed Case Täble` (`Id` INT PRIMARY KEY, `select` TEXT, `größe` TEXT, `with space` TEXT, `back``tick` TEXT, "
                + "`Updated On` DATE NOT NULL)",
        "INSERT INTO `Mixed Case Täble` VALUES (1, 'a', 'ä', 'x y', '`', '2024-01-01'), (2, 'b', 'ö', '', '''', '2024-01-02'), "
                + "(3, 'c', 'ü', ' ', '\\\\', '2024-01-03')",
        "CREATE TABLE `order` (`group` INT PRIMARY KEY, `From` TEXT)"
    };

    static final String[] EVENTS_DDL = {
        "CREATE TABLE events (id INT PRIMARY KEY, updated_at DATETIME NOT NULL, payload TEXT)",
        "INSERT INTO events SELECT seq, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL ((seq - 1) DIV 500) SECOND, CONCAT('event ', seq) "
                + "FROM seq_1_to_5000",
        "CREATE TABLE events_nokey AS SELECT seq AS id, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (seq DIV 7) SECOND AS updated_at "
                + "FROM seq_1_to_6000",
        "CREATE VIEW recent_events AS SELECT id, updated_at FROM events"
    };

    static String document(TestingMariaDb maria, Path lake, String user, String password) {
        String db = maria.database();
        return """
                sources:
                  - name: maria
                    connector: mysql
                    config: {host: 127.0.0.1, port: %d, database: %s, username: root}
                  - name: maria-user
                    connector: mysql
                    config: {host: 127.0.0.1, port: %d, database: %s, username: %s, password: "%s", connect_timeout_seconds: 1}
                %sconnections:
                  - name: my-types
                    source: maria
                    destination: lake
                    namespace: my
                    streams: [{name: %s.all_types, sync_mode: full_refresh_overwrite}]
                  - name: my-odd
                    source: maria
                    destination: lake
                    namespace: my-odd
                    streams: [{name: "%s.%s", sync_mode: incremental_append, cursor_field: "Updated On", primary_key: ["Id"]}]
                  - name: my-events
                    source: maria
                    destination: lake
                    namespace: my
                    streams: [{name: %s.events, sync_mode: full_refresh_overwrite}]
                  - name: my-events-incremental
                    source: maria-user
                    destination: lake
                    namespace: my-incr
                    streams: [{name: %s.events, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}]
                  - name: my-nokey
                    source: maria
                    destination: lake
                    namespace: my
                    streams:
                      - {name: %s.events_nokey, sync_mode: full_refresh_overwrite}
                      - {name: %s.recent_events, sync_mode: full_refresh_overwrite}
                """.formatted(maria.port(), db, maria.port(), db, user, password, JdbcTesting.lakeDestination(lake), db, db, ODD_TABLE, db, db, db, db);
    }
}
