package dev.caravan.config;

import dev.caravan.spi.SplitReads;
import dev.caravan.spi.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigParserTest {
    static final String FULL_EXAMPLE = """
            sources:
              - name: faker-demo
                connector: faker
                config: {seed: 42, count: 1000}
              - name: crm
                connector: postgres
                config:
                  host: db.example.com
                  port: 5432
                  user: caravan
                  password: s3cret!
            destinations:
              - name: local-lake
                connector: local
                config: {path: ./lake}
            connections:
              - name: demo
                source: faker-demo
                destination: local-lake
                namespace: demo
                prefix: faker_
                enabled: true
                schedule: manual
                streams:
                  - name: users
                    sync_mode: incremental_append
                    cursor_field: updated_at
                    primary_key: [id]
                    fields: [id, name, updated_at]
                  - name: purchases
                    sync_mode: incremental_append_deduped
                    cursor_field: updated_at
                    primary_key: [user_id, purchase_id]
              - name: crm-nightly
                source: crm
                destination: local-lake
                namespace: crm/eu
                enabled: false
                schedule: {cron: "0 0 2 * * ?", timezone: Europe/Paris}
                streams:
                  - name: public.accounts
                    sync_mode: full_refresh_append
              - name: crm-often
                source: crm
                destination: local-lake
                schedule: {every: 15m}
                streams:
                  - name: public.accounts
            """;

    @Test
    void fullExampleParsesToTheExpectedRecords() {
        CaravanConfig config = new ConfigParser(ConfigFixtures.SOURCE_SPECS, ConfigFixtures.DESTINATION_SPECS)
                .parse(FULL_EXAMPLE, "connections.yaml");

        assertThat(config).isEqualTo(new CaravanConfig(
                List.of(new SourceConfig("faker-demo", "faker", Map.of("seed", 42, "count", 1000)),
                        new SourceConfig("crm", "postgres", Map.of("host", "db.example.com", "port", 5432,
                                "user", "caravan", "password", "s3cret!"))),
                List.of(new DestinationConfig("local-lake", "local", Map.of("path", "./lake"))),
                List.of(new ConnectionConfig("demo", "faker-demo", "local-lake", "demo", "faker_", true, Schedule.MANUAL, List.of(
                                new ConfiguredStream("users", SyncMode.INCREMENTAL_APPEND, "updated_at", List.of("id"),
                                        List.of("id", "name", "updated_at")),
                                new ConfiguredStream("purchases", SyncMode.INCREMENTAL_APPEND_DEDUPED, "updated_at",
                                        List.of("user_id", "purchase_id"), List.of()))),
                        new ConnectionConfig("crm-nightly", "crm", "local-lake", "crm/eu", "", false,
                                new Schedule.Cron("0 0 2 * * ?", ZoneId.of("Europe/Paris")),
                                List.of(new ConfiguredStream("public.accounts", SyncMode.FULL_REFRESH_APPEND, null, List.of(), List.of()))),
                        new ConnectionConfig("crm-often", "crm", "local-lake", "", "", true,
                                new Schedule.Interval(Duration.ofMinutes(15)), List.of(ConfiguredStream.of("public.accounts"))))));
    }

    @Test
    void connectorSettingsKeepTheirOrderAndPlainJavaTypes() {
        CaravanConfig config = new ConfigParser().parse("""
                sources:
                  - name: s
                    connector: x
                    config:
                      small: 7
                      big: 10000000000
                      ratio: 0.25
                      flag: false
                      text: "42"
                      tags: [a, b]
                      nested: {depth: 1}
                """, "t.yaml");

        Map<String, Object> settings = config.sources().get(0).config();
        assertThat(settings).containsExactly(
                Map.entry("small", 7), Map.entry("big", 10_000_000_000L), Map.entry("ratio", 0.25), Map.entry("flag", false),
                Map.entry("text", "42"), Map.entry("tags", List.of("a", "b")), Map.entry("nested", Map.of("depth", 1)));
        assertThat(settings.get("small")).isInstanceOf(Integer.class);
        assertThat(settings.get("big")).isInstanceOf(Long.class);
    }

    @Test
    void everyOptionalKeyHasItsDefault() {
        CaravanConfig config = new ConfigParser().parse(ConfigFixtures.connection("""
                name: minimal
                source: faker-demo
                destination: local-lake
                streams:
                  - name: users
                """), "t.yaml");

        ConnectionConfig connection = config.connections().get(0);
        assertThat(connection.namespace()).isEqualTo(ConnectionConfig.DEFAULT_NAMESPACE).isEmpty();
        assertThat(connection.prefix()).isEqualTo(ConnectionConfig.DEFAULT_PREFIX).isEmpty();
        assertThat(connection.enabled()).isTrue();
        assertThat(connection.schedule()).isEqualTo(Schedule.MANUAL);
        assertThat(connection.schemaChanges()).isEqualTo(dev.caravan.sync.SchemaPolicy.PROPAGATE_COLUMNS);
        assertThat(connection.backfillNewColumns()).isFalse();
        ConfiguredStream stream = connection.streams().get(0);
        assertThat(stream.syncMode()).isEqualTo(SyncMode.FULL_REFRESH_OVERWRITE);
        assertThat(stream.cursorField()).isNull();
        assertThat(stream.primaryKey()).isEmpty();
        assertThat(stream.fields()).isEmpty();
        assertThat(config.sources().get(0).config()).isEmpty();
    }

    @Test
    void nullValuesCountAsAbsent() {
        CaravanConfig config = new ConfigParser().parse(ConfigFixtures.connection("""
                name: minimal
                source: faker-demo
                destination: local-lake
                namespace:
                prefix: ~
                enabled: null
                schedule:
                streams:
                  - name: users
                    sync_mode:
                    fields:
                """), "t.yaml");

        ConnectionConfig connection = config.connections().get(0);
        assertThat(connection).isEqualTo(new ConnectionConfig("minimal", "faker-demo", "local-lake", "", "", true,
                Schedule.MANUAL, List.of(ConfiguredStream.of("users"))));
    }

    @Test
    void fullRefreshKeepsAnUnusedCursorField() {
        CaravanConfig config = new ConfigParser().parse(ConfigFixtures.connection("""
                name: c
                source: faker-demo
                destination: local-lake
                streams:
                  - {name: users, sync_mode: full_refresh_overwrite, cursor_field: updated_at}
                """), "t.yaml");

        assertThat(config.connections().get(0).streams().get(0).cursorField()).isEqualTo("updated_at");
    }

    @Test
    void splitReadsIsAStreamSettingThatRoundTrips() {
        CaravanConfig config = new ConfigParser().parse(ConfigFixtures.connection("""
                name: c
                source: faker-demo
                destination: local-lake
                streams:
                  - {name: a, split_reads: 4}
                  - {name: b, split_reads: "auto"}
                  - {name: c, split_reads: off, sync_mode: incremental_append, cursor_field: updated_at}
                  - {name: d}
                """), "t.yaml");

        assertThat(config.connections().get(0).streams()).extracting(ConfiguredStream::splitReads)
                .containsExactly(new SplitReads(4), SplitReads.AUTO, SplitReads.OFF, null);
        assertThat(new ConfigParser().parse(ConfigWriter.write(config), "written.yaml")).isEqualTo(config);
    }

    @Test
    void connectionsMayReferToKnownSourcesAndDestinations() {
        String yaml = """
                connections:
                  - name: c
                    source: from-server
                    destination: lake-from-other-file
                    streams: [{name: users}]
                """;

        CaravanConfig config = new ConfigParser().parse(yaml, "t.yaml", Set.of("from-server"), Set.of("lake-from-other-file"));

        assertThat(config.sources()).isEmpty();
        assertThat(config.connection("c")).get().extracting(ConnectionConfig::source).isEqualTo("from-server");
    }

    @Test
    void emptyDocumentsAreEmptyConfigs() {
        assertThat(new ConfigParser().parse("", "t.yaml")).isEqualTo(CaravanConfig.EMPTY);
        assertThat(new ConfigParser().parse("# nothing yet\n", "t.yaml")).isEqualTo(CaravanConfig.EMPTY);
        assertThat(new ConfigParser().parse("sources: []\nconnections:\n", "t.yaml")).isEqualTo(CaravanConfig.EMPTY);
    }

    @Test
    void parsesFiles(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("connections.yaml"), FULL_EXAMPLE);

        CaravanConfig config = new ConfigParser().parse(file);

        assertThat(config.connections()).extracting(ConnectionConfig::name).containsExactly("demo", "crm-nightly", "crm-often");
        assertThat(config.source("crm")).isPresent();
        assertThat(config.destination("local-lake")).isPresent();
        assertThat(config.connection("nope")).isEmpty();
    }

    @Test
    void sourceToStringNeverShowsSettings() {
        SourceConfig source = new ConfigParser().parse(FULL_EXAMPLE, "t.yaml").source("crm").orElseThrow();

        assertThat(source.toString()).doesNotContain("s3cret!").contains("password");
    }
}
