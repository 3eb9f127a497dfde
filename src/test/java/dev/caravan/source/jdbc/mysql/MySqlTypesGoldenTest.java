package dev.caravan.source.jdbc.mysql;

import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.source.jdbc.TypeGolden;
import dev.caravan.source.jdbc.TypeGolden.Column;
import dev.caravan.testing.Golden;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingMariaDb;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every type of MariaDB's data type documentation (numeric, string, binary, JSON, INET4/INET6/UUID, date and time,
 * spatial) through the server into Parquet, each value read back by DuckDB beside MariaDB's own rendering
 * ({@code CAST(... AS CHAR)} in a UTC session; HEX for binary, BIN for bits), in JVM zones with odd offsets. The golden
 * file was reviewed line by line.
 */
class MySqlTypesGoldenTest {
    static final TypeGolden TYPES = new TypeGolden(List.of(
            new Column("c_tinyint", "TINYINT", "-128", "127", "NULL"),
            new Column("c_tinyint_u", "TINYINT UNSIGNED", "255"),
            new Column("c_boolean", "BOOLEAN", "1", "0", "2"),
            new Column("c_smallint", "SMALLINT", "-32768"),
            new Column("c_smallint_u", "SMALLINT UNSIGNED", "65535"),
            new Column("c_mediumint", "MEDIUMINT", "-8388608"),
            new Column("c_mediumint_u", "MEDIUMINT UNSIGNED", "16777215"),
            new Column("c_int", "INT", "-2147483648"),
            new Column("c_int_u", "INT UNSIGNED", "4294967295"),
            new Column("c_bigint", "BIGINT", "-9223372036854775808"),
            new Column("c_bigint_u", "BIGINT UNSIGNED", "18446744073709551615"),
            new Column("c_int_zerofill", "INT(5) ZEROFILL", "42"),
            new Column("c_decimal", "DECIMAL(10,2)", "-99999999.99", "0.01"),
            new Column("c_decimal_u", "DECIMAL(10,2) UNSIGNED", "99999999.99"),
            new Column("c_decimal_65", "DECIMAL(65,30)", "'12345678901234567890123456789012345.123456789012345678901234567890'"),
            new Column("c_float", "FLOAT", "3.4e38", "-1.5", "1e-38"),
            new Column("c_double", "DOUBLE", "1e-300", "-0.0", "3.141592653589793"),
            new Column("c_bit1", "BIT(1)", "b'1'", "b'0'"),
            new Column("c_bit64", "BIT(64)", "b'1000000000000000000000000000000000000000000000000000000000000001'"),
            new Column("c_char", "CHAR(5)", "'ab  '", "''"),
            new Column("c_varchar", "VARCHAR(50)", "'héllo wörld 😀'", "' '"),
            new Column("c_tinytext", "TINYTEXT", "'t'"),
            new Column("c_text", "TEXT", "'multi\\nline \"quoted\" \\\\ tab\\t'"),
            new Column("c_mediumtext", "MEDIUMTEXT", "'m'"),
            new Column("c_longtext", "LONGTEXT", "'l'"),
            new Column("c_binary", "BINARY(3)", "x'00ff10'", "x'01'"),
            new Column("c_varbinary", "VARBINARY(10)", "x'deadbeef'", "x''"),
            new Column("c_tinyblob", "TINYBLOB", "x'00'"),
            new Column("c_blob", "BLOB", "x'0102'"),
            new Column("c_mediumblob", "MEDIUMBLOB", "x'ff'"),
            new Column("c_longblob", "LONGBLOB", "x'fe'"),
            new Column("c_enum", "ENUM('sad','ok','happy')", "'happy'", "''"),
            new Column("c_set", "SET('a','b','c')", "'a,c'", "''"),
            new Column("c_json", "JSON", "'{\"b\": [1, 2],  \"a\": \"x\"}'", "'null'"),
            new Column("c_inet4", "INET4", "'192.168.0.1'"),
            new Column("c_inet6", "INET6", "'2001:db8::ff00:42:8329'", "'::ffff:192.0.2.128'"),
            new Column("c_uuid", "UUID", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"),
            new Column("c_date", "DATE", "'2024-02-29'", "'0000-00-00'", "'1000-01-01'", "'9999-12-31'", "'2024-00-15'"),
            new Column("c_time", "TIME(6)", "'13:45:30.123456'", "'-838:59:59'", "'838:59:59'", "'00:00:00'"),
            new Column("c_datetime", "DATETIME(6)", "'2024-02-29 13:45:30.123456'", "'0000-00-00 00:00:00'", "'2024-03-31 02:30:00'",
                    "'9999-12-31 23:59:59.999999'"),
            new Column("c_timestamp", "TIMESTAMP(6) NULL", "'2024-02-29 13:45:30.123456'", "'1970-01-01 00:00:01'", "'0000-00-00 00:00:00'"),
            new Column("c_year", "YEAR", "2024", "1901", "0"),
            new Column("c_geometry", "GEOMETRY", "ST_GeomFromText('POINT(1 2)')"),
            new Column("c_point", "POINT", "ST_GeomFromText('POINT(1.5 -2)')"),
            new Column("c_linestring", "LINESTRING", "ST_GeomFromText('LINESTRING(0 0,1 1)')"),
            new Column("c_polygon", "POLYGON", "ST_GeomFromText('POLYGON((0 0,1 1,1 0,0 0))')")));

    private static final TimeZone JVM_ZONE = TimeZone.getDefault();
    @TempDir
    static Path home;
    private static TestingMariaDb maria;
    private static TestingServer server;
    private static ParquetQuery duck;

    @BeforeAll
    static void start() throws Exception {
        maria = new TestingMariaDb();
        try (Connection c = maria.connect(); Statement s = c.createStatement()) {
            s.execute("SET sql_mode = ''");
            s.execute("SET time_zone = '+00:00'");
            for (String sql : TYPES.ddl("types")) {
                s.execute(sql);
            }
        }
        server = new TestingServer(home);
        duck = new ParquetQuery();
        server.server().apply("""
                sources:
                  - {name: maria, connector: mysql, config: {host: 127.0.0.1, port: %d, database: %s, username: root}}
                %sconnections:
                  - {name: maria-types, source: maria, destination: lake, streams: [{name: %s.types, sync_mode: full_refresh_overwrite}]}
                """.formatted(maria.port(), maria.database(), JdbcTesting.lakeDestination(home.resolve("lake")), maria.database()), "maria.yaml");
    }

    @AfterAll
    static void stop() {
        TimeZone.setDefault(JVM_ZONE);
        if (duck != null) {
            duck.close();
        }
        if (server != null) {
            server.close();
        }
        if (maria != null) {
            maria.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Europe/Paris", "America/St_Johns"})
    void everyValueReadBackMatchesMariaDbText(String zone) throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        try {
            JdbcTesting.sync(server, "maria-types");
            Map<String, String> texts;
            try (Connection c = maria.connect(); Statement s = c.createStatement()) {
                s.execute("SET time_zone = '+00:00'");
                texts = TYPES.sourceTexts(c, "types", column -> {
                    String type = column.type();
                    if (type.contains("BINARY") || type.contains("BLOB") || type.contains("GEOMETRY") || type.contains("POINT")
                            || type.contains("LINESTRING") || type.contains("POLYGON")) {
                        return "HEX(" + column.name() + ")";
                    }
                    return type.startsWith("BIT") ? "BIN(" + column.name() + ")" : "CAST(" + column.name() + " AS CHAR)";
                });
            }
            Golden.assertMatches(Path.of("src/test/resources/golden/jdbc/mysql-types.txt"),
                    TYPES.render(duck, home.resolve("lake/raw/" + maria.database() + ".types"), texts));
        } finally {
            TimeZone.setDefault(JVM_ZONE);
        }
    }
}
