package dev.caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.config.ConfigParser;
import dev.caravan.config.ConnectionConfig;
import dev.caravan.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated route files are compared with committed golden files (regenerate: -Dcaravan.golden.update=true). */
class RouteGeneratorTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/routes");
    private final RouteGenerator generator = new RouteGenerator();

    private static List<ConnectionConfig> connections() {
        String yaml = """
                sources:
                  - {name: shop-db, connector: faker, config: {count: 10}}
                destinations:
                  - {name: lake, connector: local, config: {path: /tmp/lake}}
                connections:
                  - name: manual-demo
                    source: shop-db
                    destination: lake
                    streams:
                      - {name: users}
                  - name: hourly
                    source: shop-db
                    destination: lake
                    namespace: shop
                    prefix: raw_
                    schedule: {every: 1h}
                    streams:
                      - {name: users, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id], fields: [id, email, updated_at]}
                      - {name: products, sync_mode: full_refresh_append, split_reads: 4}
                  - name: nightly
                    source: shop-db
                    destination: lake
                    namespace: shop/eu
                    enabled: false
                    schedule: {cron: "0 30 2 * * ?", timezone: Europe/Paris}
                    streams:
                      - {name: purchases, sync_mode: incremental_append_deduped, cursor_field: updated_at, primary_key: [id]}
                  - name: drifting
                    source: shop-db
                    destination: lake
                    schema_changes: pause
                    backfill_new_columns: true
                    flatten_json_depth: 2
                    streams:
                      - {name: users, sync_mode: incremental_append, cursor_field: updated_at}
                """;
        return new ConfigParser().parse(yaml, "routes-test.yaml").connections();
    }

    @Test
    void everyScheduleAndSyncModeRendersAsItsGoldenFile() {
        for (ConnectionConfig connection : connections()) {
            Golden.assertMatches(GOLDEN.resolve(RouteGenerator.fileName(connection.name())), generator.render(connection));
        }
    }

    @Test
    void renderingIsDeterministic() {
        for (ConnectionConfig connection : connections()) {
            assertThat(generator.render(connection)).isEqualTo(generator.render(connection));
        }
    }

    @Test
    void filesAreWrittenAtomicallyWithoutLeftovers(@TempDir Path dir) throws Exception {
        ConnectionConfig connection = connections().get(0);
        Path file = generator.write(dir, connection);
        assertThat(file).hasFileName("manual-demo.yaml").hasContent(generator.render(connection));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void routesNeverCarrySourceOrDestinationConfiguration() {
        for (ConnectionConfig connection : connections()) {
            assertThat(generator.render(connection)).doesNotContain("count").doesNotContain("/tmp/lake");
        }
    }
}
