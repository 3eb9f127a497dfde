package dev.caravan.source.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.SyncMode;
import dev.caravan.testing.TestingPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL arrays follow the scalar rules, whatever the JVM's time zone: each element is its faithful value (ISO
 * dates and times, BC years, fractions, UTC instants, ISO intervals) or null plus a change naming the field and the
 * element's subscripts. Multi-dimensional arrays, NULL elements, lower bounds, enum, domain and composite elements.
 */
class PostgresArrayTest {
    private static final PostgresSource SOURCE = new PostgresSource();
    private static TestingPostgres pg;

    static final String DDL = """
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE DOMAIN posint AS int CHECK (VALUE > 0);
            CREATE DOMAIN day AS date;
            CREATE TYPE pair AS (a int, b text);
            CREATE TABLE arrays (id int PRIMARY KEY, c_date date[], c_timestamp timestamp[], c_timestamptz timestamptz[], c_time time[],
              c_timetz timetz[], c_interval interval[], c_numeric numeric[], c_float float8[], c_bool bool[], c_bytea bytea[],
              c_json jsonb[], c_enum mood[], c_posint posint[], c_day day[], c_pair pair[], c_box box[], c_bit bit(1)[], c_text text[]);
            INSERT INTO arrays VALUES
            (1, '{2024-02-29,infinity,"0044-03-15 BC",-infinity,NULL}',
             '{"2024-03-31 02:30:00.123456","0044-03-15 10:00:00 BC",infinity}',
             '{"2024-03-31 02:30:00.5+02","0044-03-15 10:00:00+00 BC",-infinity,"1900-01-01 00:00:00+00:09:21"}',
             '{13:45:30.123456,24:00,00:00}', '{10:00:00+05:30}', '{"1 year 2 mons 3 days 04:05:06.5","-1 day -00:00:01"}',
             '{1.5,NaN,123456789012345678901234567890.0123456789,Infinity,-0.0000000001}', '{NaN,-Infinity,1e300,2}', '{t,f,NULL}',
             '{"\\\\x00ff",NULL}', '{"{\\"a\\": [1, \\"x,}\\"]}",null}', '{happy,sad}', '{1,2}', '{2024-01-01,infinity}',
             '{"(1,\\"a b\\")",NULL,"(,)"}', '{(1,2),(0,0);(3,4),(1,1)}', '{1,0}', '{"NULL",NULL,"","a\\\\b","c\\"d"," e "}'),
            (2, '{{2024-01-01,infinity},{NULL,1999-12-31}}', NULL, NULL, '{}', NULL, NULL, '{{1,NaN},{2,3}}', NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, '{}'),
            (3, '[0:1]={infinity,2024-01-01}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL)
            """;

    @BeforeAll
    static void start() throws Exception {
        pg = new TestingPostgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute(DDL);
        }
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    static Map<Integer, Map<String, Object>> expected() {
        Map<Integer, Map<String, Object>> rows = new LinkedHashMap<>();
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("c_date", "[\"2024-02-29\",null,\"-0043-03-15\",null,null]");
        one.put("c_timestamp", "[\"2024-03-31T02:30:00.123456\",\"-0043-03-15T10:00:00\",null]");
        one.put("c_timestamptz", "[\"2024-03-31T00:30:00.5Z\",\"-0043-03-15T10:00:00Z\",null,\"1899-12-31T23:50:39Z\"]");
        one.put("c_time", "[\"13:45:30.123456\",null,\"00:00:00\"]");
        one.put("c_timetz", "[\"10:00:00+05:30\"]");
        one.put("c_interval", "[\"P1Y2M3DT4H5M6.5S\",\"P-1DT-1S\"]");
        one.put("c_numeric", "[1.5,null,123456789012345678901234567890.0123456789,null,-0.0000000001]");
        one.put("c_float", "[\"NaN\",\"-Infinity\",1e+300,2]");
        one.put("c_bool", "[true,false,null]");
        one.put("c_bytea", "[\"AP8=\",null]");
        one.put("c_json", "[{\"a\": [1, \"x,}\"]},null]");
        one.put("c_enum", "[\"happy\",\"sad\"]");
        one.put("c_posint", "[1,2]");
        one.put("c_day", "[\"2024-01-01\",null]");
        one.put("c_pair", "[\"(1,\\\"a b\\\")\",null,\"(,)\"]");
        one.put("c_box", "[\"(1,2),(0,0)\",\"(3,4),(1,1)\"]");
        one.put("c_bit", "[true,false]");
        one.put("c_text", "[\"NULL\",null,\"\",\"a\\\\b\",\"c\\\"d\",\" e \"]");
        rows.put(1, one);
        Map<String, Object> two = new LinkedHashMap<>();
        two.put("c_date", "[[\"2024-01-01\",null],[null,\"1999-12-31\"]]");
        two.put("c_time", "[]");
        two.put("c_numeric", "[[1,null],[2,3]]");
        two.put("c_text", "[]");
        rows.put(2, two);
        rows.put(3, Map.of("c_date", "[null,\"2024-01-01\"]"));
        return rows;
    }

    static Map<Integer, List<String>> expectedChanges() {
        return Map.of(1, List.of("c_date[2]", "c_date[4]", "c_timestamp[3]", "c_timestamptz[3]", "c_time[2]", "c_numeric[2]", "c_numeric[4]",
                "c_day[2]"), 2, List.of("c_date[1][2]", "c_numeric[1][2]"), 3, List.of("c_date[0]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Europe/Paris", "America/St_Johns", "UTC"})
    void everyElementIsFaithfulOrNulledWithAChange(String zone) {
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        try {
            ConnectorConfig config = SOURCE.spec().validate(Map.of("host", "127.0.0.1", "port", PostgresSourceTest.portOf(pg.jdbcUrl()),
                    "database", PostgresSourceTest.databaseOf(pg.jdbcUrl()), "username", "postgres",
                    "jdbc_params", "ApplicationName=arrays-" + zone.replace('/', '-')), "");
            List<RecordBatch> batches = JdbcTesting.batches(SOURCE, config,
                    JdbcTesting.request("public.arrays", SyncMode.FULL_REFRESH_APPEND, null, List.of(), Map.of(), 1000));
            List<String> names = batches.get(0).schema().names();
            Map<Integer, List<String>> changes = new LinkedHashMap<>();
            int seen = 0;
            for (RecordBatch batch : batches) {
                for (int r = 0; r < batch.size(); r++) {
                    Object[] row = batch.rows().get(r);
                    int id = (Integer) row[0];
                    Map<String, Object> want = expected().get(id);
                    for (int i = 1; i < names.size(); i++) {
                        assertThat(row[i]).as("%s of row %d in %s", names.get(i), id, zone).isEqualTo(want.get(names.get(i)));
                    }
                    List<String> fields = new ArrayList<>();
                    for (FieldChange change : batch.changesOf(r)) {
                        assertThat(change.change()).isEqualTo(FieldChange.NULLED);
                        assertThat(change.reason()).isEqualTo(FieldChange.SOURCE_SERIALIZATION_ERROR);
                        fields.add(change.field());
                    }
                    changes.put(id, fields);
                    seen++;
                }
            }
            assertThat(seen).isEqualTo(3);
            assertThat(changes).isEqualTo(expectedChanges());
        } finally {
            TimeZone.setDefault(before);
        }
    }
}
