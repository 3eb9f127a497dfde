package dev.caravan.source.jdbc.postgres;

import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.testing.TestingPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Tables, rows and the values expected back from Parquet for {@link PostgresSourceTest}. */
public final class PostgresTestData {
    private PostgresTestData() {
    }

    public static final String ALL_TYPES_DDL = """
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE TABLE all_types (
              id int PRIMARY KEY,
              c_smallint smallint, c_int integer, c_bigint bigint, c_serial serial,
              c_numeric_10_2 numeric(10,2), c_numeric numeric, c_numeric_50 numeric(50,10),
              c_real real, c_double double precision,
              c_bool boolean, c_bit bit(1), c_bits bit(4),
              c_char char(5), c_varchar varchar(20), c_text text,
              c_date date, c_time time, c_timetz timetz, c_timestamp timestamp, c_timestamptz timestamptz,
              c_interval interval, c_uuid uuid, c_json json, c_jsonb jsonb, c_bytea bytea, c_enum mood,
              c_int_array int[], c_text_array text[], c_matrix float8[][]
            )""";

    public static final String ALL_TYPES_ROWS = """
            INSERT INTO all_types VALUES
            (1, 32767, -2147483648, 9223372036854775807, 1, 12345678.91, 123456789.123456789,
             '1234567890123456789012345678901234567890.0123456789', 1.5, 3.141592653589793, true, B'1', B'1010',
             'ab', 'héllo wörld', E'multi\\nline "quoted"', '2024-02-29', '13:45:30.123456', '13:45:30+02',
             '2024-02-29 13:45:30.123456', '2024-02-29 13:45:30.123456+02', '1 year 2 mons 3 days 04:05:06.5',
             'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b": [1, 2], "a": "x"}', '{"b": [1, 2], "a": "x"}', '\\x00ff10', 'happy',
             '{1,2,NULL}', '{"a b","c\\"d"}', '{{1.5,2},{NaN,-Infinity}}'),
            (2, NULL, NULL, NULL, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
            (3, -32768, 0, -9223372036854775808, 3, 'NaN', 'NaN', '-0.5', 'NaN', '-Infinity', false, B'0', B'0000',
             '', '', '', 'infinity', '24:00', '00:00:00-11', '-infinity', 'infinity', '-1 day -00:00:01',
             '00000000-0000-0000-0000-000000000000', '[]', 'null', '\\x', 'sad', '{}', '{}', '{}'),
            (4, 1, 1, 1, 4, -99999999.99, 0.0000000001, '0', '3.4028235e38', '-1e-300', true, B'1', B'1111',
             'xyzzy', 'ünïcödé ✓ 😀', repeat('long ', 1000), '0044-03-15 BC', '00:00:00', '23:59:59.999999+14',
             '0001-01-01 00:00:00', '1969-12-31 23:59:59.999999+00', 'PT0S',
             'ffffffff-ffff-ffff-ffff-ffffffffffff', '{"nested": {"deep": [true, null, 1e3]}}', '{"k": "\\u00e9"}', '\\xdeadbeef', 'ok',
             '{-1}', '{NULL}', '{{1}}'),
            (5, 0, 0, 0, 5, 0, 123456789012345678901234567890, '-99999999999999999999999999999999999999.9999999999', 0, 0, false, B'0', B'0101',
             'a', 'b', 'c', '1970-01-01', '12:00:00', '12:00:00+00', '2038-01-19 03:14:08', '2262-04-11 23:47:16.854775+00',
             '10 years', '123e4567-e89b-12d3-a456-426614174000', '1', '"text"', '\\x00', 'happy', '{2147483647}', '{""}', '{{0}}')
            """;

    static final int ALL_TYPES_COUNT = 5;

    static final Map<String, String> PARQUET_TYPES = Map.ofEntries(
            Map.entry("id", "INTEGER"), Map.entry("c_smallint", "INTEGER"), Map.entry("c_int", "INTEGER"), Map.entry("c_bigint", "BIGINT"),
            Map.entry("c_serial", "INTEGER"), Map.entry("c_numeric_10_2", "DECIMAL(10,2)"), Map.entry("c_numeric", "DECIMAL(38,9)"),
            Map.entry("c_numeric_50", "VARCHAR"), Map.entry("c_real", "FLOAT"), Map.entry("c_double", "DOUBLE"),
            Map.entry("c_bool", "BOOLEAN"), Map.entry("c_bit", "BOOLEAN"), Map.entry("c_bits", "VARCHAR"), Map.entry("c_char", "VARCHAR"),
            Map.entry("c_varchar", "VARCHAR"), Map.entry("c_text", "VARCHAR"), Map.entry("c_date", "DATE"), Map.entry("c_time", "TIME"),
            Map.entry("c_timetz", "VARCHAR"), Map.entry("c_timestamp", "TIMESTAMP"), Map.entry("c_timestamptz", "TIMESTAMP WITH TIME ZONE"),
            Map.entry("c_interval", "VARCHAR"), Map.entry("c_uuid", "VARCHAR"), Map.entry("c_json", "JSON"), Map.entry("c_jsonb", "JSON"),
            Map.entry("c_bytea", "BLOB"), Map.entry("c_enum", "VARCHAR"), Map.entry("c_int_array", "JSON"),
            Map.entry("c_text_array", "JSON"), Map.entry("c_matrix", "JSON"));

    private static final List<String> COLUMNS = List.of("c_smallint", "c_int", "c_bigint", "c_serial", "c_numeric_10_2", "c_numeric",
            "c_numeric_50", "c_real", "c_double", "c_bool", "c_bit", "c_bits", "c_char", "c_varchar", "c_text", "c_date", "c_time", "c_timetz",
            "c_timestamp", "c_timestamptz", "c_interval", "c_uuid", "c_json", "c_jsonb", "c_bytea", "c_enum", "c_int_array", "c_text_array",
            "c_matrix");

    /** Every column as text, as DuckDB renders the Parquet value (timestamptz as epoch micros, bytes as hex). */
    static final String DUCK_SELECT = "id, " + String.join(", ", COLUMNS.stream().map(c -> switch (c) {
        case "c_timestamptz" -> "CAST(epoch_us(c_timestamptz) AS VARCHAR) AS c_timestamptz";
        case "c_bytea" -> "hex(c_bytea) AS c_bytea";
        default -> "CAST(" + c + " AS VARCHAR) AS " + c;
    }).toList());

    static Map<Integer, Map<String, String>> expectedRows() {
        Map<Integer, Map<String, String>> rows = new LinkedHashMap<>();
        rows.put(1, row("32767", "-2147483648", "9223372036854775807", "1", "12345678.91", "123456789.123456789",
                "1234567890123456789012345678901234567890.0123456789", "1.5", "3.141592653589793", "true", "true", "1010",
                "ab   ", "héllo wörld", "multi\nline \"quoted\"", "2024-02-29", "13:45:30.123456", "13:45:30+02",
                "2024-02-29 13:45:30.123456", micros("2024-02-29T11:45:30.123456Z"), "P1Y2M3DT4H5M6.5S",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{\"b\": [1, 2], \"a\": \"x\"}", "{\"a\": \"x\", \"b\": [1, 2]}", "00FF10", "happy",
                "[1,2,null]", "[\"a b\",\"c\\\"d\"]", "[[1.5,2],[\"NaN\",\"-Infinity\"]]"));
        Map<String, String> nulls = new HashMap<>();
        COLUMNS.forEach(c -> nulls.put(c, null));
        nulls.put("c_serial", "2");
        rows.put(2, nulls);
        rows.put(3, row("-32768", "0", "-9223372036854775808", "3", null, null, "-0.5000000000", "nan", "-inf", "false", "false", "0000",
                "     ", "", "", null, null, "00:00:00-11", null, null, "P-1DT-1S",
                "00000000-0000-0000-0000-000000000000", "[]", "null", "", "sad", "[]", "[]", "[]"));
        rows.put(4, row("1", "1", "1", "4", "-99999999.99", null, "0.0000000000", "3.4028235e+38", "-1e-300", "true", "true", "1111",
                "xyzzy", "ünïcödé ✓ 😀", "long ".repeat(1000), "0044-03-15 (BC)", "00:00:00", "23:59:59.999999+14",
                "0001-01-01 00:00:00", "-1", "PT0S", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "{\"nested\": {\"deep\": [true, null, 1e3]}}", "{\"k\": \"é\"}", "DEADBEEF", "ok", "[-1]", "[null]", "[[1]]"));
        rows.put(5, row("0", "0", "0", "5", "0.00", null, "-99999999999999999999999999999999999999.9999999999", "0.0", "0.0", "false", "false",
                "0101", "a    ", "b", "c", "1970-01-01", "12:00:00", "12:00:00+00", "2038-01-19 03:14:08", micros("2262-04-11T23:47:16.854775Z"),
                "P10Y", "123e4567-e89b-12d3-a456-426614174000", "1", "\"text\"", "00", "happy", "[2147483647]", "[\"\"]", "[[0]]"));
        return rows;
    }

    static Map<Integer, TreeSet<String>> expectedNulled() {
        return Map.of(1, new TreeSet<>(), 2, new TreeSet<>(),
                3, new TreeSet<>(List.of("c_numeric_10_2", "c_numeric", "c_date", "c_time", "c_timestamp", "c_timestamptz")),
                4, new TreeSet<>(List.of("c_numeric")), 5, new TreeSet<>(List.of("c_numeric")));
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

    static final String ODD_STREAM = "Odd Schema.Mixed Case Täble";

    static final String ODD_DDL = """
            CREATE SCHEMA "Odd Schema";
            CREATE TABLE "Odd Schema"."Mixed Case Täble" ("Id" int PRIMARY KEY, "select" text, "größe" text, "with space" text,
              "quote""d" text, "Updated On" date NOT NULL);
            INSERT INTO "Odd Schema"."Mixed Case Täble" VALUES (1, 'a', 'ä', 'x y', '"', '2024-01-01'), (2, 'b', 'ö', '', '''', '2024-01-02'),
              (3, 'c', 'ü', ' ', '\\', '2024-01-03');
            CREATE TABLE "Odd Schema"."order" ("group" int PRIMARY KEY, "From" text);
            """;

    static final String EVENTS_DDL = """
            CREATE TABLE events (id int PRIMARY KEY, updated_at timestamp NOT NULL, payload text);
            INSERT INTO events SELECT i, timestamp '2024-01-01' + ((i - 1) / 500) * interval '1 second', 'event ' || i
              FROM generate_series(1, 5000) i;
            CREATE TABLE events_nokey AS SELECT i AS id, timestamp '2024-01-01' + (i / 7) * interval '1 second' AS updated_at
              FROM generate_series(1, 6000) i;
            CREATE VIEW recent_events AS SELECT id, updated_at FROM events;
            CREATE TABLE measurements (id int, taken date NOT NULL, value float8, PRIMARY KEY (id, taken)) PARTITION BY RANGE (taken);
            CREATE TABLE measurements_2023 PARTITION OF measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
            CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            INSERT INTO measurements VALUES (1, '2023-06-01', 1.5), (2, '2024-06-01', 2.5);
            CREATE MATERIALIZED VIEW event_counts AS SELECT updated_at, count(*) AS n FROM events GROUP BY updated_at;
            """;

    static String document(TestingPostgres pg, Path lake) {
        return """
                sources:
                  - name: pg
                    connector: postgres
                    config: {host: 127.0.0.1, port: %d, database: %s, username: postgres, schemas: "public, Odd Schema"}
                %sconnections:
                  - name: pg-types
                    source: pg
                    destination: lake
                    namespace: pg
                    streams: [{name: public.all_types, sync_mode: full_refresh_overwrite}]
                  - name: pg-odd
                    source: pg
                    destination: lake
                    namespace: pg
                    streams: [{name: "%s", sync_mode: full_refresh_overwrite}]
                  - name: pg-odd-incremental
                    source: pg
                    destination: lake
                    namespace: pg-odd
                    streams: [{name: "%s", sync_mode: incremental_append, cursor_field: "Updated On", primary_key: ["Id"]}]
                  - name: pg-events
                    source: pg
                    destination: lake
                    namespace: pg
                    streams: [{name: public.events, sync_mode: full_refresh_overwrite}]
                  - name: pg-events-incremental
                    source: pg
                    destination: lake
                    namespace: pg-incr
                    streams: [{name: public.events, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}]
                  - name: pg-nokey
                    source: pg
                    destination: lake
                    namespace: pg
                    streams:
                      - {name: public.events_nokey, sync_mode: full_refresh_overwrite}
                      - {name: public.recent_events, sync_mode: full_refresh_overwrite}
                      - {name: public.measurements, sync_mode: full_refresh_overwrite}
                """.formatted(PostgresSourceTest.portOf(pg.jdbcUrl()), PostgresSourceTest.databaseOf(pg.jdbcUrl()), JdbcTesting.lakeDestination(lake),
                ODD_STREAM, ODD_STREAM);
    }
}
