package dev.caravan.source.jdbc.postgres;

import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.source.jdbc.TypeGolden;
import dev.caravan.source.jdbc.TypeGolden.Column;
import dev.caravan.testing.Golden;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingPostgres;
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
 * Every type of PostgreSQL's data type documentation (chapter 8: numeric, monetary, character, binary, date/time,
 * boolean, enum, geometric, network, bit string, text search, UUID, XML, JSON, arrays, composite, range and multirange,
 * domain, object identifier, pg_lsn, snapshot) through the server into Parquet, each value read back by DuckDB beside
 * PostgreSQL's own {@code ::text} (session TimeZone UTC, DateStyle ISO, IntervalStyle iso_8601), in JVM zones with
 * odd offsets. The golden file was reviewed line by line.
 */
class PostgresTypesGoldenTest {
    static final TypeGolden TYPES = new TypeGolden(List.of(
            new Column("c_smallint", "smallint", "-32768", "32767", "NULL"),
            new Column("c_integer", "integer", "-2147483648", "2147483647"),
            new Column("c_bigint", "bigint", "-9223372036854775808", "9223372036854775807"),
            new Column("c_numeric_p", "numeric(10,2)", "-99999999.99", "0.01", "'NaN'", "NULL"),
            new Column("c_numeric", "numeric", "123456789.123456789", "'-Infinity'", "1e-20", "12345678901234567890123456789012345678"),
            new Column("c_numeric_wide", "numeric(50,10)", "'1234567890123456789012345678901234567890.0123456789'", "'NaN'"),
            new Column("c_real", "real", "'3.4028235e38'", "'NaN'", "'-Infinity'", "1.5"),
            new Column("c_double", "double precision", "'1e-300'", "'Infinity'", "0.1", "'-0'"),
            new Column("c_smallserial", "smallserial", "1", "32767", "2", "3", "4"),
            new Column("c_serial", "serial", "2147483647", "1", "2", "3", "4"),
            new Column("c_bigserial", "bigserial", "9223372036854775807", "1", "2", "3", "4"),
            new Column("c_money", "money", "'12.34'", "'-92233720368547758.08'"),
            new Column("c_varchar", "varchar(10)", "'héllo'", "''"),
            new Column("c_char", "char(5)", "'ab'", "''"),
            new Column("c_bpchar", "bpchar", "'  x  '"),
            new Column("c_text", "text", "E'multi\\nline \"quoted\" \\\\ tab\\t'", "'ünïcödé ✓ 😀'"),
            new Column("c_name", "name", "'a_name'"),
            new Column("c_char1", "\"char\"", "'Q'"),
            new Column("c_bytea", "bytea", "'\\x00ff10'", "''"),
            new Column("c_timestamp", "timestamp", "'2024-02-29 13:45:30.123456'", "'infinity'", "'4713-01-01 00:00:00 BC'",
                    "'294276-12-31 23:59:59.999999'", "'2024-03-31 02:30:00'"),
            new Column("c_timestamp0", "timestamp(0)", "'2024-01-01 10:00:00.6'"),
            new Column("c_timestamptz", "timestamptz", "'2024-02-29 13:45:30.123456+02'", "'-infinity'", "'0044-03-15 10:00:00+00 BC'",
                    "'1900-01-01 00:00:00 Europe/Paris'"),
            new Column("c_date", "date", "'2024-02-29'", "'infinity'", "'0044-03-15 BC'", "'5874897-12-31'", "'4713-01-01 BC'"),
            new Column("c_time", "time", "'13:45:30.123456'", "'24:00'", "'00:00'"),
            new Column("c_timetz", "timetz", "'13:45:30+02'", "'23:59:59.999999-15:59'"),
            new Column("c_interval", "interval", "'1 year 2 mons 3 days 04:05:06.5'", "'-1 day -00:00:01'", "'0'", "'-178000000 years'"),
            new Column("c_interval_fields", "interval day to second(2)", "'3 days 04:05:06.789'"),
            new Column("c_boolean", "boolean", "true", "false"),
            new Column("c_enum", "mood", "'happy'", "'sad'"),
            new Column("c_point", "point", "'(1.5,-2)'"),
            new Column("c_line", "line", "'{1,-1,0}'"),
            new Column("c_lseg", "lseg", "'[(0,0),(1,1)]'"),
            new Column("c_box", "box", "'(1,1),(0,0)'"),
            new Column("c_path", "path", "'[(0,0),(1,1),(2,0)]'", "'((0,0),(1,1))'"),
            new Column("c_polygon", "polygon", "'((0,0),(1,1),(1,0))'"),
            new Column("c_circle", "circle", "'<(0,0),2.5>'"),
            new Column("c_cidr", "cidr", "'192.168.100.128/25'", "'2001:db8::/32'"),
            new Column("c_inet", "inet", "'192.168.0.1/24'", "'::1'"),
            new Column("c_macaddr", "macaddr", "'08:00:2b:01:02:03'"),
            new Column("c_macaddr8", "macaddr8", "'08:00:2b:01:02:03:04:05'"),
            new Column("c_bit1", "bit(1)", "B'1'", "B'0'"),
            new Column("c_bit", "bit(4)", "B'1010'"),
            new Column("c_varbit", "varbit", "B'101'", "B''"),
            new Column("c_tsvector", "tsvector", "'a fat cat:1A sat'"),
            new Column("c_tsquery", "tsquery", "'fat & (rat | cat)'"),
            new Column("c_uuid", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"),
            new Column("c_xml", "xml", "'<a b=\"1\">x &amp; y</a>'"),
            new Column("c_json", "json", "'{\"b\": [1, 2],  \"a\": \"x\"}'", "'null'"),
            new Column("c_jsonb", "jsonb", "'{\"b\": [1, 2],  \"a\": \"\\u00e9\"}'", "'1e3'"),
            new Column("c_jsonpath", "jsonpath", "'$.a[*] ? (@ > 1)'"),
            new Column("c_int_array", "integer[]", "'{1,NULL,3}'", "'{{1,2},{3,4}}'", "'[0:1]={5,6}'", "'{}'"),
            new Column("c_text_array", "text[]", "'{\"a b\",\"c\\\"d\",NULL,\"NULL\",\"\"}'"),
            new Column("c_numeric_array", "numeric[]", "'{1.5,NaN,-Infinity}'"),
            new Column("c_float_array", "float8[]", "'{1.5,NaN,-Infinity}'"),
            new Column("c_date_array", "date[]", "'{2024-02-29,infinity,\"0044-03-15 BC\"}'"),
            new Column("c_time_array", "time[]", "'{13:45:30.123456,24:00}'"),
            new Column("c_timestamp_array", "timestamp[]", "'{\"2024-03-31 02:30:00.5\",-infinity}'"),
            new Column("c_timestamptz_array", "timestamptz[]", "'{\"2024-02-29 13:45:30.5+02\",infinity}'"),
            new Column("c_interval_array", "interval[]", "'{\"1 year 2 mons\",\"-00:00:01\"}'"),
            new Column("c_bool_array", "boolean[]", "'{t,f}'"),
            new Column("c_bytea_array", "bytea[]", "ARRAY['\\x00ff'::bytea]"),
            new Column("c_jsonb_array", "jsonb[]", "ARRAY['{\"a\": 1}'::jsonb, 'null']"),
            new Column("c_uuid_array", "uuid[]", "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'"),
            new Column("c_enum_array", "mood[]", "'{happy,NULL}'"),
            new Column("c_domain_array", "posint[]", "'{1,2}'"),
            new Column("c_composite_array", "pair[]", "ARRAY[ROW(1, 'a b')::pair, NULL]"),
            new Column("c_box_array", "box[]", "'{(1,1),(0,0);(3,3),(2,2)}'"),
            new Column("c_range_array", "int4range[]", "'{\"[1,3)\",empty}'"),
            new Column("c_composite", "pair", "ROW(1, 'a \"b\"')", "ROW(NULL, NULL)"),
            new Column("c_int4range", "int4range", "'[1,5)'", "'empty'"),
            new Column("c_int8range", "int8range", "'(,10]'"),
            new Column("c_numrange", "numrange", "'[1.5,2.5]'"),
            new Column("c_tsrange", "tsrange", "'[2024-01-01 00:00,infinity)'"),
            new Column("c_tstzrange", "tstzrange", "'[2024-01-01 00:00+02,2024-01-02 00:00+02)'"),
            new Column("c_daterange", "daterange", "'[2024-01-01,2024-01-31]'"),
            new Column("c_int4multirange", "int4multirange", "'{[1,3),[5,8)}'"),
            new Column("c_datemultirange", "datemultirange", "'{}'"),
            new Column("c_domain", "posint", "42"),
            new Column("c_domain_numeric", "price", "12.5"),
            new Column("c_oid", "oid", "4294967295"),
            new Column("c_regclass", "regclass", "'pg_class'"),
            new Column("c_regtype", "regtype", "'integer'"),
            new Column("c_regproc", "regproc", "'now'"),
            new Column("c_regnamespace", "regnamespace", "'pg_catalog'"),
            new Column("c_pg_lsn", "pg_lsn", "'16/B374D848'"),
            new Column("c_pg_snapshot", "pg_snapshot", "'10:20:10,14,15'"),
            new Column("c_txid_snapshot", "txid_snapshot", "'10:20:10,14,15'")));

    private static final TimeZone JVM_ZONE = TimeZone.getDefault();
    @TempDir
    static Path home;
    private static TestingPostgres pg;
    private static TestingServer server;
    private static ParquetQuery duck;

    @BeforeAll
    static void start() throws Exception {
        pg = new TestingPostgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE DOMAIN posint AS int CHECK (VALUE > 0); "
                    + "CREATE DOMAIN price AS numeric(10,2); CREATE TYPE pair AS (a int, b text)");
            for (String sql : TYPES.ddl("types")) {
                s.execute(sql);
            }
        }
        server = new TestingServer(home);
        duck = new ParquetQuery();
        server.server().apply("""
                sources:
                  - {name: pg, connector: postgres, config: {host: 127.0.0.1, port: %d, database: %s, username: postgres}}
                %sconnections:
                  - {name: pg-types, source: pg, destination: lake, streams: [{name: public.types, sync_mode: full_refresh_overwrite}]}
                """.formatted(PostgresSourceTest.portOf(pg.jdbcUrl()), PostgresSourceTest.databaseOf(pg.jdbcUrl()),
                JdbcTesting.lakeDestination(home.resolve("lake"))), "pg.yaml");
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
        if (pg != null) {
            pg.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Europe/Paris", "America/St_Johns"})
    void everyValueReadBackMatchesPostgresText(String zone) throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        try {
            JdbcTesting.sync(server, "pg-types");
            Map<String, String> texts;
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'iso_8601'");
                texts = TYPES.sourceTexts(c, "types", column -> column.name() + "::text");
            }
            Golden.assertMatches(Path.of("src/test/resources/golden/jdbc/postgres-types.txt"),
                    TYPES.render(duck, home.resolve("lake/raw/public.types"), texts));
        } finally {
            TimeZone.setDefault(JVM_ZONE);
        }
    }
}
