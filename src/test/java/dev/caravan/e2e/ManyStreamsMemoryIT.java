package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One connection of 50 PostgreSQL streams — 48 tables of a few MB and two of 600,000 rows — syncs in a server process
 * limited to a 256 MB heap, with no OutOfMemoryError: buffers are bounded per stream, and streams are written one after
 * the other. Every table is read back from the lake.
 */
class ManyStreamsMemoryIT {
    private static final int SMALL_TABLES = 48;
    private static final int SMALL_ROWS = 20_000;
    private static final int LARGE_ROWS = 600_000;

    @TempDir
    Path home;

    @Test
    void fiftyStreamsSyncInA256MbHeap() throws Exception {
        try (TestingPostgres source = new TestingPostgres()) {
            try (Connection c = source.connect(); Statement s = c.createStatement()) {
                for (int i = 1; i <= SMALL_TABLES + 2; i++) {
                    int rows = i <= SMALL_TABLES ? SMALL_ROWS : LARGE_ROWS;
                    s.execute("CREATE TABLE t%02d (id bigint PRIMARY KEY, name text, amount numeric(12,2), updated_at timestamp, note text)".formatted(i));
                    s.execute(("INSERT INTO t%02d SELECT g, 'name ' || g, (g %% 100000) / 100.0, timestamp '2024-01-01' + g * interval '1 second', "
                            + "repeat(md5(g::text), 3) FROM generate_series(1, %d) g").formatted(i, rows));
                }
            }
            StringBuilder streams = new StringBuilder();
            for (int i = 1; i <= SMALL_TABLES + 2; i++) {
                streams.append(i <= SMALL_TABLES ? "      - {name: public.t%02d}\n".formatted(i)
                        : "      - {name: public.t%02d, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}\n".formatted(i));
            }
            Path lake = home.resolve("lake");
            try (TestingProcess server = new TestingProcess(home, null, "256m", Map.of("caravan.hawtio.enabled", "false",
                    "caravan.log.level", "DEBUG"));
                 ParquetQuery duck = new ParquetQuery()) {
                assertThat(server.output()).as("-Dcaravan.log.level=DEBUG shows the start phases")
                        .anyMatch(line -> line.contains("Start phases: JVM start and command line") && line.contains("connector catalog") && line.contains("metadata store and migrations"));
                HttpJson api = new HttpJson(server.apiUrl());
                HttpJson.Response applied = api.postYaml("/apply", """
                        sources: [{name: pg, connector: postgres, config: {host: 127.0.0.1, port: %d, database: %s, username: postgres, schemas: public}}]
                        destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                        connections:
                          - name: wide
                            source: pg
                            destination: lake
                            streams:
                        %s""".formatted(source.port(), source.database(), lake, streams));
                assertThat(applied.status()).as(applied.text()).isEqualTo(200);
                JsonNode job = api.post("/connections/sync", "{\"connection\":\"wide\",\"wait\":true,\"timeout_seconds\":600}").json();
                assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
                assertThat(job.get("records").asLong()).isEqualTo((long) SMALL_TABLES * SMALL_ROWS + 2L * LARGE_ROWS);
                assertThat(server.output()).noneMatch(line -> line.contains("OutOfMemoryError"));
                for (int i = 1; i <= SMALL_TABLES + 2; i++) {
                    String stream = "public.t%02d".formatted(i);
                    Path output = ParquetQuery.streamDirectory(lake, "", stream);
                    assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(output)))
                            .as(stream).isEqualTo(i <= SMALL_TABLES ? SMALL_ROWS : LARGE_ROWS);
                }
                long peakMib = server.peakRssKib() / 1024;
                System.out.println("ManyStreamsMemoryIT: 50 streams at -Xmx256m, peak RSS " + peakMib + " MiB");
                assertThat(peakMib).as("resident memory stays bounded by the heap plus the JVM's own").isLessThan(768);
            }
        }
    }
}
