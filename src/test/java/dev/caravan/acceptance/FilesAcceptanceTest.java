package dev.caravan.acceptance;

import dev.caravan.source.file.FileFixtures;
import dev.caravan.source.file.FileSource;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.SyncMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The files source passes the acceptance kit on a local folder: CSV plain and gzip/zstd/bzip2-compressed, JSON Lines,
 * a JSON array and a Parquet file written by DuckDB, each resumable from every checkpoint.
 */
class FilesAcceptanceTest extends SourceAcceptanceKit {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static Path root;
    private static final List<List<String>> ORDERS = new ArrayList<>();
    private static final List<List<String>> EVENTS = new ArrayList<>();
    private static final List<List<String>> ITEMS = new ArrayList<>();
    private static final List<List<String>> MEASURES = new ArrayList<>();

    @BeforeAll
    static void files() throws IOException {
        root = Files.createTempDirectory("caravan-files-kit-");
        String[] names = {"2026-01.csv", "2026-02.csv.gz", "2026-03.csv.zst", "2026-04.csv.bz2"};
        int id = 1;
        for (int f = 0; f < names.length; f++) {
            Instant modified = T0.plusSeconds(3600L * f);
            StringBuilder csv = new StringBuilder("id,name,amount,ordered_on\n");
            for (int r = 0; r < 9 + f * 4; r++, id++) {
                String name = id % 5 == 0 ? "\"multi\nline, \"\"quoted\"\"\"" : "name " + id;
                csv.append(id).append(',').append(name).append(',').append(id).append(".25,").append(LocalDate.of(2026, 1, 1).plusDays(id)).append('\n');
                String url = root.resolve("orders/" + names[f]).toUri().toString();
                ORDERS.add(List.of(Long.toString(id), id % 5 == 0 ? "multi\nline, \"quoted\"" : "name " + id, id + ".25",
                        LocalDate.of(2026, 1, 1).plusDays(id).toString(), url, modified.toString()));
            }
            FileFixtures.write(root, "orders/" + names[f], csv.toString(), modified);
        }
        for (int f = 0; f < 3; f++) {
            Instant modified = T0.plusSeconds(60L * f);
            StringBuilder jsonl = new StringBuilder();
            for (int r = 0; r < 6; r++) {
                long n = f * 100L + r;
                jsonl.append("{\"event\":").append(n).append(",\"kind\":\"k").append(r % 2).append("\",\"payload\":{\"a\":[1,2],\"b\":\"x\"}}\n");
                if (r == 2) {
                    jsonl.append('\n');
                }
                EVENTS.add(List.of(Long.toString(n), "k" + (r % 2), "{\"a\":[1,2],\"b\":\"x\"}",
                        root.resolve("events/day-" + f + ".jsonl").toUri().toString(), modified.toString()));
            }
            FileFixtures.write(root, "events/day-" + f + ".jsonl", jsonl.toString(), modified);
        }
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 12; i++) {
            json.append(i == 0 ? "" : ",").append("{\"sku\":\"s").append(i).append("\",\"price\":").append(i).append(".5,\"active\":").append(i % 3 == 0).append('}');
            ITEMS.add(List.of("s" + i, i + ".5", Boolean.toString(i % 3 == 0), root.resolve("items.json").toUri().toString(), T0.toString()));
        }
        FileFixtures.write(root, "items.json", json.append(']').toString(), T0);
        FileFixtures.parquet(root, "measures/m.parquet",
                "SELECT i::BIGINT AS id, (i * 1.5)::DOUBLE AS v, TIMESTAMPTZ '2026-02-01 00:00:00+00' + i * INTERVAL 1 MINUTE AS at FROM range(40) t(i)", T0);
        for (int i = 0; i < 40; i++) {
            MEASURES.add(List.of(Long.toString(i), Double.toString(i * 1.5), Instant.parse("2026-02-01T00:00:00Z").plusSeconds(60L * i).toString(),
                    root.resolve("measures/m.parquet").toUri().toString(), T0.toString()));
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    protected SourceConnector connector() {
        return new FileSource();
    }

    @Override
    protected Map<String, Object> config() {
        return Map.of("path", root.toString(), "streams", """
                - name: orders
                  globs: ["orders/*.csv*"]
                  format: csv
                  primary_key: [id]
                  schema: {amount: "decimal(12,2)"}
                - name: events
                  globs: ["events/*.jsonl"]
                  format: jsonl
                - name: items
                  globs: [items.json]
                  format: json
                - name: measures
                  globs: ["measures/**.parquet"]
                  format: parquet
                """);
    }

    @Override
    protected List<BadConfig> badConfigs() {
        return List.of(BadConfig.of("path", root.resolve("missing").toString()),
                BadConfig.of("streams", "- name: orders\n  globs: [\"*.csv\"]\n  format: xml\n"),
                BadConfig.of("streams", "- name: orders\n  globs: [\"*.csv\"]\n  format: csv\n  delimiter: ';;'\n"),
                BadConfig.of("streams", "not: a list"));
    }

    @Override
    protected List<StreamCase> streams() {
        return List.of(
                new StreamCase("orders", SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(), ORDERS, 7),
                new StreamCase("orders", SyncMode.INCREMENTAL_APPEND, FileSource.LAST_MODIFIED, List.of(), ORDERS, 7),
                new StreamCase("orders", SyncMode.INCREMENTAL_APPEND_DEDUPED, FileSource.LAST_MODIFIED, List.of("id"), ORDERS, 5),
                new StreamCase("events", SyncMode.INCREMENTAL_APPEND, FileSource.LAST_MODIFIED, List.of(), EVENTS, 4),
                new StreamCase("events", SyncMode.FULL_REFRESH_APPEND, null, List.of(), EVENTS, 4),
                new StreamCase("items", SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(), ITEMS, 5),
                new StreamCase("measures", SyncMode.INCREMENTAL_APPEND, FileSource.LAST_MODIFIED, List.of(), MEASURES, 9));
    }
}
