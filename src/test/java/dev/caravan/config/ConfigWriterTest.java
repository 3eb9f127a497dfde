package dev.caravan.config;

import dev.caravan.spi.ConnectorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.caravan.config.ConfigFixtures.DESTINATION_SPECS;
import static dev.caravan.config.ConfigFixtures.SOURCE_SPECS;
import static org.assertj.core.api.Assertions.assertThat;

class ConfigWriterTest {
    private final ConfigParser parser = new ConfigParser();

    @Test
    void writesEveryKeyInTheDocumentedOrder() {
        CaravanConfig config = parser.parse(ConfigParserTest.FULL_EXAMPLE, "t.yaml");

        assertThat(ConfigWriter.write(config)).isEqualTo("""
                sources:
                  - name: faker-demo
                    connector: faker
                    config:
                      seed: 42
                      count: 1000
                  - name: crm
                    connector: postgres
                    config:
                      host: db.example.com
                      port: 5432
                      user: caravan
                      password: "s3cret!"
                destinations:
                  - name: local-lake
                    connector: local
                    config:
                      path: "./lake"
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
                        primary_key:
                          - id
                        fields:
                          - id
                          - name
                          - updated_at
                      - name: purchases
                        sync_mode: incremental_append_deduped
                        cursor_field: updated_at
                        primary_key:
                          - user_id
                          - purchase_id
                        fields: []
                  - name: crm-nightly
                    source: crm
                    destination: local-lake
                    namespace: crm/eu
                    prefix: ""
                    enabled: false
                    schedule:
                      cron: "0 0 2 * * ?"
                      timezone: Europe/Paris
                    streams:
                      - name: public.accounts
                        sync_mode: full_refresh_append
                        primary_key: []
                        fields: []
                  - name: crm-often
                    source: crm
                    destination: local-lake
                    namespace: ""
                    prefix: ""
                    enabled: true
                    schedule:
                      every: 15m
                    streams:
                      - name: public.accounts
                        sync_mode: full_refresh_overwrite
                        primary_key: []
                        fields: []
                """);
    }

    @Test
    void roundTripsTheFullExample() {
        CaravanConfig config = parser.parse(ConfigParserTest.FULL_EXAMPLE, "t.yaml");

        String written = ConfigWriter.write(config);

        assertThat(parser.parse(written, "written.yaml")).isEqualTo(config);
        assertThat(ConfigWriter.write(parser.parse(written, "written.yaml"))).isEqualTo(written);
    }

    @Test
    void roundTripsBuiltRecords() {
        CaravanConfig config = new CaravanConfig(
                List.of(new SourceConfig("s", "faker", Map.of("seed", 42L, "big", 10_000_000_000L, "ratio", 1.0e10,
                        "tiny", 1.0e-7, "on", true, "list", List.of(1, "two", List.of()), "map", Map.of("a", Map.of())))),
                List.of(new DestinationConfig("d", "local", Map.of())),
                List.of(new ConnectionConfig("c", "s", "d", "a/b", "p.", false, new Schedule.Interval(Duration.ofSeconds(5400)),
                        List.of(ConfiguredStream.of("Users"), new ConfiguredStream("orders", dev.caravan.spi.SyncMode.INCREMENTAL_APPEND,
                                "id", List.of(), List.of()))),
                        new ConnectionConfig("e", "s", "other", "", "", true, new Schedule.Cron("0 0 * * * ?", ZoneId.of("Z")),
                                List.of(ConfiguredStream.of("public.Users"))),
                        new ConnectionConfig("f", "s", "d", "", "", true, Schedule.MANUAL, List.of(ConfiguredStream.of("x")), null,
                                dev.caravan.config.RouteMode.GENERATED, dev.caravan.sync.SchemaPolicy.PAUSE, true, 3)));

        String written = ConfigWriter.write(config);

        assertThat(parser.parse(written, "t.yaml", java.util.Set.of(), java.util.Set.of("other"))).isEqualTo(config);
        // the schema change keys are written only when not the defaults
        assertThat(written).containsOnlyOnce("schema_changes: pause").containsOnlyOnce("backfill_new_columns: true")
                .containsOnlyOnce("flatten_json_depth: 3");
    }

    @Test
    void emptyConfig() {
        assertThat(ConfigWriter.write(CaravanConfig.EMPTY)).isEqualTo("sources: []\ndestinations: []\nconnections: []\n");
        assertThat(parser.parse(ConfigWriter.write(CaravanConfig.EMPTY), "t.yaml")).isEqualTo(CaravanConfig.EMPTY);
    }

    /** Strings that YAML would read as something else unless quoted. */
    @ParameterizedTest
    @ValueSource(strings = {"42", "-1", "+1", "0x1F", "0o17", "1_000", "1e3", "1.5", ".5", ".nan", ".inf", "-.inf", "true", "False",
            "yes", "No", "on", "OFF", "y", "N", "null", "Null", "~", "", " ", " lead", "trail ", "a: b", "a #b", "#x", "- a", "-", "?",
            "*alias", "&anchor", "!tag", "%x", "@x", "`x", "'q'", "\"dq\"", "{a}", "[a]", "a,b", "2024-01-01", "12:30", "12:30:45",
            "2024-01-01T10:00:00Z", "multi\nline", "trailing newline\n", "\n", "tab\there", "é", "✓", "<<", "=", "90m", "1d"})
    void quotesWhateverWouldNotReadBackAsTheSameString(String value) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("value", value);
        settings.put(value.isEmpty() ? "empty-key" : value, "as key");
        CaravanConfig config = new CaravanConfig(List.of(new SourceConfig("s", "x", settings)), List.of(), List.of());

        assertThat(parser.parse(ConfigWriter.write(config), "t.yaml")).isEqualTo(config);
    }

    @Test
    void masksSecretSettingsDeclaredByTheConnectorSpecs() {
        CaravanConfig config = new CaravanConfig(
                List.of(new SourceConfig("crm", "postgres", Map.of("host", "db", "user", "u", "password", "s3cret!")),
                        new SourceConfig("other", "unknown-connector", Map.of("password", "visible"))),
                List.of(new DestinationConfig("lake", "local", Map.of("path", "./lake", "access_key", "AKIA42"))),
                List.of());

        String masked = ConfigWriter.writeMasked(config, SOURCE_SPECS, DESTINATION_SPECS);

        assertThat(masked).doesNotContain("s3cret!").doesNotContain("AKIA42")
                .contains("password: \"" + ConnectorSpec.MASK + "\"")
                .contains("access_key: \"" + ConnectorSpec.MASK + "\"")
                .contains("host: db").contains("path: \"./lake\"")
                .contains("password: visible");
        CaravanConfig reread = parser.parse(masked, "masked.yaml");
        assertThat(reread.source("crm").orElseThrow().config()).containsEntry("password", ConnectorSpec.MASK).containsEntry("host", "db");
        assertThat(ConfigWriter.write(config)).contains("s3cret!").contains("AKIA42");
    }

    @Test
    void absentSecretsStayAbsent() {
        CaravanConfig config = new CaravanConfig(List.of(), List.of(new DestinationConfig("lake", "local", Map.of("path", "./lake"))), List.of());

        assertThat(ConfigWriter.writeMasked(config, SOURCE_SPECS, DESTINATION_SPECS)).doesNotContain("access_key");
    }
}
