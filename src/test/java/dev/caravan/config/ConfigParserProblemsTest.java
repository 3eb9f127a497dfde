package dev.caravan.config;

import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.SplitReads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static dev.caravan.config.ConfigFixtures.HEADER;
import static dev.caravan.config.ConfigFixtures.connection;
import static dev.caravan.config.ConfigFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every problem the parser reports, with its exact path, value and fix. */
class ConfigParserProblemsTest {
    static final String NAME_RULE = "use 1 to 63 lowercase letters, digits, '_' or '-', starting with a letter or digit"
            + " (names become file names and route ids)";
    static final String SYNC_MODES = "use one of full_refresh_overwrite, full_refresh_append, incremental_append, incremental_append_deduped";

    @Test
    void unknownKeysNameTheKeyAndListTheKnownOnes() {
        assertThat(problems("source: []\n")).containsExactly(new ConfigProblem("source", null,
                "unknown key 'source'; did you mean 'sources'? known keys: sources, destinations, connections"));
        assertThat(problems("sources: [{name: s, connector: c, type: jdbc}]\n")).containsExactly(new ConfigProblem(
                "sources[0].type", null, "unknown key 'type'; known keys: name, connector, config"));
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                shedule: manual
                streams:
                  - {name: users, cursor: updated_at}
                """))).containsExactly(
                new ConfigProblem("connections[0].shedule", null, "unknown key 'shedule'; did you mean 'schedule'?"
                        + " known keys: name, source, destination, namespace, prefix, enabled, schedule, streams, webhook, routes, schema_changes,"
                        + " backfill_new_columns, flatten_json_depth"),
                new ConfigProblem("connections[0].streams[0].cursor", null,
                        "unknown key 'cursor'; known keys: name, sync_mode, cursor_field, primary_key, fields, split_reads"));
    }

    @Test
    void schemaChangePolicyAndBackfillAreValidatedWithTheFix() {
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                schema_changes: propagate
                backfill_new_columns: yes please
                flatten_json_depth: 11
                streams: [{name: users}]
                """))).containsExactly(
                new ConfigProblem("connections[0].schema_changes", "propagate", "use one of propagate_columns, propagate_all, ignore, pause"
                        + " (what a sync does when a stream's source schema changed; default propagate_columns)"),
                new ConfigProblem("connections[0].backfill_new_columns", "yes please", "must be true or false, not a string"),
                new ConfigProblem("connections[0].flatten_json_depth", "11", "use a whole number from 0 (off, the default) to 10:"
                        + " how many levels of JSON objects are flattened into parent_child columns"));
    }

    @Test
    void splitReadsIsValidatedWithTheFix() {
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                streams:
                  - {name: a, split_reads: many}
                  - {name: b, split_reads: 9}
                  - {name: c, split_reads: 4, sync_mode: incremental_append, cursor_field: updated_at}
                  - {name: d, split_reads: true}
                """))).containsExactly(
                new ConfigProblem("connections[0].streams[0].split_reads", "many", SplitReads.RULE),
                new ConfigProblem("connections[0].streams[1].split_reads", "9", SplitReads.RULE),
                new ConfigProblem("connections[0].streams[2].split_reads", "4", "sync_mode incremental_append reads in cursor order, so its "
                        + "stream is never split: remove split_reads, or use a full refresh mode to read the table in parallel key ranges"),
                new ConfigProblem("connections[0].streams[3].split_reads", "true", SplitReads.RULE));
        assertThat(SplitReads.RULE).isEqualTo("use auto (split large tables), off, or a number of parallel ranges from 2 to 8");
    }

    @Test
    void documentAndSectionsMustHaveTheRightShape() {
        assertThat(problems("- faker\n")).containsExactly(new ConfigProblem("test.yaml", null,
                "must be a map with the keys sources, destinations, connections, not a list"));
        assertThat(problems("sources: {name: s}\n")).containsExactly(new ConfigProblem("sources", null, "must be a list, not a map"));
        assertThat(problems("sources: faker\n")).containsExactly(
                new ConfigProblem("sources", "faker", "must be a list, not a string; write it as [faker]"));
        assertThat(problems("destinations: [local]\n")).containsExactly(
                new ConfigProblem("destinations[0]", "local", "must be a map, not a string"));
        assertThat(problems("connections: [[a]]\n")).containsExactly(
                new ConfigProblem("connections[0]", null, "must be a map, not a list"));
    }

    @Test
    void requiredKeysAndTheirTypes() {
        assertThat(problems("sources: [{config: {}}]\ndestinations: [{name: 7, connector: [local]}]\n")).containsExactly(
                new ConfigProblem("sources[0].name", null, "is required: give the source a unique name, e.g. name: my-source"),
                new ConfigProblem("sources[0].connector", null, "is required: set the connector to use, e.g. connector: postgres"),
                new ConfigProblem("destinations[0].name", "7", "must be a string, not a number; put it in quotes"),
                new ConfigProblem("destinations[0].connector", null, "must be a string, not a list"));
        assertThat(problems("destinations: [{name: d, connector: '  '}]\n")).containsExactly(new ConfigProblem(
                "destinations[0].connector", "  ", "must not be blank: set the connector to use, e.g. connector: local"));
        assertThat(problems("connections: [{streams: [{name: users}]}]\n")).containsExactly(
                new ConfigProblem("connections[0].name", null, "is required: give the connection a unique name, e.g. name: demo"),
                new ConfigProblem("connections[0].source", null, "is required: set the name of the source to read from"),
                new ConfigProblem("connections[0].destination", null, "is required: set the name of the destination to write to"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Faker", "faker demo", "-faker", "_faker", "faker.demo", "fäker", "''",
            "a123456789012345678901234567890123456789012345678901234567890123"})
    void namesFollowTheFileNameRule(String name) {
        String shown = name.equals("''") ? "" : name;
        assertThat(problems("sources: [{name: " + name + ", connector: faker}]\n"))
                .containsExactly(new ConfigProblem("sources[0].name", shown, NAME_RULE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "'0'", "faker-demo", "faker_demo_2", "a12345678901234567890123456789012345678901234567890123456789012"})
    void validNames(String name) {
        assertThat(new ConfigParser().parse("sources: [{name: " + name + ", connector: faker}]\n", "t").sources())
                .extracting(SourceConfig::name).containsExactly(name.replace("'", ""));
    }

    @Test
    void connectorConfigMustBeAMapAndNeverShowsValues() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigParser().parse("""
                sources:
                  - {name: s, connector: c, config: "password=hunter2"}
                  - name: t
                    connector: c
                    config:
                      password:
                      pin: 99999999999999999999
                      key: !!binary aHVudGVyMg==
                      nested: {list: [1, ~]}
                """, "t.yaml"));

        assertThat(e.problems()).containsExactly(
                new ConfigProblem("sources[0].config", null,
                        "must be a map of connector settings, not a string, e.g. config: {host: db.example.com, port: 5432}"),
                new ConfigProblem("sources[1].config.password", null, "has no value; give it a value or remove the key"),
                new ConfigProblem("sources[1].config.pin", null, "is a whole number too large for 64 bits; use a smaller number or a string"),
                new ConfigProblem("sources[1].config.key", null, "has an unsupported YAML type; use a string, number, true/false, list or map"),
                new ConfigProblem("sources[1].config.nested.list[1]", null, "has no value; give it a value or remove the key"));
        assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("99999");
    }

    @Test
    void namesAreUniqueWithinEachList() {
        assertThat(problems("""
                sources: [{name: a, connector: x}, {name: b, connector: x}, {name: a, connector: y}]
                destinations: [{name: a, connector: x}, {name: a, connector: x}]
                connections:
                  - {name: c, source: a, destination: a, streams: [{name: s}]}
                  - {name: c, source: b, destination: a, streams: [{name: s}]}
                """)).containsExactly(
                new ConfigProblem("sources[2].name", "a", "is already the name of sources[0]; give each source a unique name"),
                new ConfigProblem("destinations[1].name", "a", "is already the name of destinations[0]; give each destination a unique name"),
                new ConfigProblem("connections[1].name", "c", "is already the name of connections[0]; give each connection a unique name"));
    }

    @Test
    void connectionsMustReferToDeclaredOrKnownEndpoints() {
        String yaml = HEADER + "connections: [{name: c, source: nope, destination: nowhere, streams: [{name: s}]}]\n";

        assertThat(problems(yaml)).containsExactly(
                new ConfigProblem("connections[0].source", "nope", "is not a declared source; declare it under sources or use one of: faker-demo"),
                new ConfigProblem("connections[0].destination", "nowhere",
                        "is not a declared destination; declare it under destinations or use one of: local-lake"));
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigParser().parse(yaml, "t.yaml", Set.of("zz-remote", "from-server"), Set.of("nowhere")));
        assertThat(e.problems()).containsExactly(new ConfigProblem("connections[0].source", "nope",
                "is not a declared source; declare it under sources or use one of: faker-demo, from-server, zz-remote"));
        assertThat(problems("connections: [{name: c, source: s, destination: d, streams: [{name: x}]}]\n")).containsExactly(
                new ConfigProblem("connections[0].source", "s", "is not a declared source; declare it under sources"),
                new ConfigProblem("connections[0].destination", "d", "is not a declared destination; declare it under destinations"));
        assertThat(problems("connections: [{name: c, source: Bad Name, destination: local-lake, streams: [{name: x}]}]\n"))
                .contains(new ConfigProblem("connections[0].source", "Bad Name", NAME_RULE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/raw", "raw/", "a//b", "a b", "../up", "a/./b", "a/..", "ü", "a\\\\b"})
    void namespaceRule(String namespace) {
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                namespace: "%s"
                streams: [{name: users}]
                """.formatted(namespace)))).containsExactly(new ConfigProblem("connections[0].namespace", namespace.replace("\\\\", "\\"),
                "use letters, digits, '_', '.' or '-', with '/' between nested segments (no leading, trailing or double '/', no '.' or '..' segment)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "demo", "crm/eu.west/v-1_2", "..a", "a.b"})
    void validNamespaces(String namespace) {
        assertThat(new ConfigParser().parse(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                namespace: "%s"
                streams: [{name: users}]
                """.formatted(namespace)), "t").connections().get(0).namespace()).isEqualTo(namespace);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a b", "x:"})
    void prefixRule(String prefix) {
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                prefix: "%s"
                streams: [{name: users}]
                """.formatted(prefix)))).containsExactly(
                new ConfigProblem("connections[0].prefix", prefix, "use only letters, digits, '_', '.' or '-'"));
    }

    @Test
    void enabledMustBeABoolean() {
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                enabled: "yes"
                streams: [{name: users}]
                """))).containsExactly(new ConfigProblem("connections[0].enabled", "yes", "must be true or false, not a string"));
    }

    @Test
    void streamsAreRequiredAndUnique() {
        String missing = "name: c\nsource: faker-demo\ndestination: local-lake\n";
        ConfigProblem atLeastOne = new ConfigProblem("connections[0].streams", null,
                "list at least one stream to sync, e.g. streams: [{name: users}]");
        assertThat(problems(connection(missing))).containsExactly(atLeastOne);
        assertThat(problems(connection(missing + "streams: []"))).containsExactly(atLeastOne);
        assertThat(problems(connection(missing + "streams: users"))).containsExactly(
                new ConfigProblem("connections[0].streams", "users", "must be a list, not a string; write it as [users]"));
        assertThat(problems(connection(missing + "streams: [{name: users}, {sync_mode: full_refresh_append}, {name: users}]")))
                .containsExactly(
                        new ConfigProblem("connections[0].streams[1].name", null,
                                "is required: set the name of the stream to sync, as the source's catalog lists it"),
                        new ConfigProblem("connections[0].streams[2].name", "users",
                                "is already listed as connections[0].streams[0]; list each stream once"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "a\\\\b", " ", "tab\\there"})
    void streamNamesCannotEscapeTheDestinationFolder(String name) {
        String shown = name.replace("\\\\", "\\").replace("\\t", "\t");
        assertThat(problems(connection("name: c\nsource: faker-demo\ndestination: local-lake\nstreams: [{name: \"" + name + "\"}]")))
                .containsExactly(new ConfigProblem("connections[0].streams[0].name", shown,
                        "use a non-blank name without '/', '\\' or control characters, other than '.' or '..'"));
    }

    @Test
    void syncModeMustBeKnown() {
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                streams: [{name: users, sync_mode: incremental}, {name: orders, sync_mode: 3}]
                """))).containsExactly(
                new ConfigProblem("connections[0].streams[0].sync_mode", "incremental", SYNC_MODES),
                new ConfigProblem("connections[0].streams[1].sync_mode", "3", "must be a string, not a number; put it in quotes"));
    }

    @Test
    void incrementalModesNeedACursorAndDedupNeedsAPrimaryKey() {
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                streams:
                  - {name: a, sync_mode: incremental_append}
                  - {name: b, sync_mode: incremental_append_deduped}
                  - {name: c, sync_mode: incremental_append_deduped, cursor_field: u, primary_key: []}
                  - {name: d, sync_mode: incremental_append, cursor_field: ""}
                """))).containsExactly(
                new ConfigProblem("connections[0].streams[0].cursor_field", null, "is required for sync_mode incremental_append:"
                        + " set the field whose increasing values mark new or changed rows, e.g. cursor_field: updated_at"),
                new ConfigProblem("connections[0].streams[1].cursor_field", null, "is required for sync_mode incremental_append_deduped:"
                        + " set the field whose increasing values mark new or changed rows, e.g. cursor_field: updated_at"),
                new ConfigProblem("connections[0].streams[1].primary_key", null, "is required for sync_mode incremental_append_deduped:"
                        + " list the fields that identify a row, e.g. primary_key: [id]"),
                new ConfigProblem("connections[0].streams[2].primary_key", null, "is required for sync_mode incremental_append_deduped:"
                        + " list the fields that identify a row, e.g. primary_key: [id]"),
                new ConfigProblem("connections[0].streams[3].cursor_field", "", "must not be blank; name the cursor field or remove the key"));
    }

    @Test
    void selectedFieldsMustIncludeCursorAndPrimaryKey() {
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                streams:
                  - name: users
                    sync_mode: incremental_append_deduped
                    cursor_field: updated_at
                    primary_key: [tenant, id]
                    fields: [id, name]
                """))).containsExactly(
                new ConfigProblem("connections[0].streams[0].fields", "updated_at",
                        "add the cursor_field 'updated_at' to fields, or remove fields to select them all"),
                new ConfigProblem("connections[0].streams[0].fields", "tenant",
                        "add the primary_key field 'tenant' to fields, or remove fields to select them all"));
    }

    @Test
    void fieldListsHoldDistinctNonBlankStrings() {
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                streams:
                  - {name: users, primary_key: id, fields: [id, id, "", 3, [x]]}
                """))).containsExactly(
                new ConfigProblem("connections[0].streams[0].primary_key", "id", "must be a list, not a string; write it as [id]"),
                new ConfigProblem("connections[0].streams[0].fields[1]", "id", "is listed twice; remove the duplicate"),
                new ConfigProblem("connections[0].streams[0].fields[2]", "", "must not be blank; remove it or name a field"),
                new ConfigProblem("connections[0].streams[0].fields[3]", "3", "must be a string, not a number"),
                new ConfigProblem("connections[0].streams[0].fields[4]", null, "must be a string, not a list"));
    }

    @Test
    void reportsEveryProblemOfADocumentAtOnce() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigParser().parse("""
                sources:
                  - name: Faker
                    connector: faker
                destinations:
                  - name: lake
                    connector: local
                    config: [path]
                connections:
                  - name: demo
                    source: faker
                    destination: lake
                    prefix: "a b"
                    schedule: {every: 6 hours}
                    streams:
                      - {name: users, sync_mode: incremental}
                      - {name: users, sync_mode: incremental_append}
                """, "connections.yaml"));

        assertThat(e.problems()).containsExactly(
                new ConfigProblem("sources[0].name", "Faker", NAME_RULE),
                new ConfigProblem("destinations[0].config", null,
                        "must be a map of connector settings, not a list, e.g. config: {host: db.example.com, port: 5432}"),
                new ConfigProblem("connections[0].source", "faker", "is not a declared source; declare it under sources"),
                new ConfigProblem("connections[0].prefix", "a b", "use only letters, digits, '_', '.' or '-'"),
                new ConfigProblem("connections[0].schedule.every", "6 hours", "use a whole number followed by s, m, h or d, e.g. 90s, 15m, 6h or 1d"),
                new ConfigProblem("connections[0].streams[0].sync_mode", "incremental", SYNC_MODES),
                new ConfigProblem("connections[0].streams[1].cursor_field", null, "is required for sync_mode incremental_append:"
                        + " set the field whose increasing values mark new or changed rows, e.g. cursor_field: updated_at"),
                new ConfigProblem("connections[0].streams[1].name", "users", "is already listed as connections[0].streams[0]; list each stream once"));
        assertThat(e.getMessage()).startsWith("Invalid configuration (8 problems):");
    }

    @Test
    void aHandWrittenConnectionHasNoStreamsOrScheduleOfItsOwnAndRoutesTakesTwoValues() {
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                routes: hand_written
                schedule: {every: 1h}
                streams: [{name: users}]
                """))).extracting(ConfigProblem::path).containsExactly("connections[0].streams", "connections[0].schedule");
        assertThat(problems(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                routes: by_hand
                streams: [{name: users}]
                """))).singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("connections[0].routes");
                    assertThat(p.fix()).contains("use generated").contains("or hand_written");
                });
        ConnectionConfig parsed = new ConfigParser().parse(connection("""
                name: c
                source: faker-demo
                destination: local-lake
                routes: hand_written
                """), "test.yaml").connections().get(0);
        assertThat(parsed.routes()).isEqualTo(RouteMode.HAND_WRITTEN);
        assertThat(parsed.streams()).isEmpty();
        assertThat(ConfigWriter.write(new CaravanConfig(java.util.List.of(), java.util.List.of(), java.util.List.of(parsed))))
                .as("exported as it was written").contains("routes: hand_written").doesNotContain("streams");
    }
}
