package dev.caravan.config;

import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ErrorType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.caravan.config.ConfigFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Malformed YAML is one problem naming the origin, line and column, and never quotes the offending line. */
class ConfigYamlSyntaxTest {
    static final String HINT = "; correct the syntax there (indent with spaces, not tabs;"
            + " quote values that contain ': ', ' #' or start with a special character)";

    @Test
    void badIndentation() {
        assertThat(problems("sources:\n  - name: a\n     connector: b\n")).containsExactly(new ConfigProblem("test.yaml:3:15", null,
                "invalid YAML at line 3, column 15: mapping values are not allowed here" + HINT));
    }

    @Test
    void unclosedFlowListDoesNotLeakTheSecretOnItsLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigParser().parse("""
                sources:
                  - name: pg
                    config: {password: hunter2
                destinations: []
                """, "prod.yaml"));

        assertThat(e.type()).isEqualTo(ErrorType.CONFIG);
        assertThat(e.problems()).containsExactly(new ConfigProblem("prod.yaml:4:13", null,
                "invalid YAML at line 4, column 13: expected ',' or '}', but got :"
                        + " (while parsing a flow mapping that starts at line 3, column 13)" + HINT));
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void tabIndentation() {
        assertThat(problems("sources:\n\t- name: a\n")).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("test.yaml:2:1");
            assertThat(p.fix()).startsWith("invalid YAML at line 2, column 1: found character '\\t(TAB)' that cannot start any token");
        });
    }

    @Test
    void duplicateKeys() {
        assertThat(problems("sources: []\nconnections: []\nsources: []\n")).containsExactly(new ConfigProblem("test.yaml:3:8", null,
                "invalid YAML at line 3, column 8: key 'sources' appears twice in the same map; keep only one"));
    }

    @Test
    void unreadableScalarsAreNotQuoted() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigParser().parse("sources:\n  - {name: s, connector: c, config: {pin: .NaN}}\n", "t.yaml"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).startsWith("t.yaml:2:");
            assertThat(p.fix()).contains("Malformed numeric value '…'").endsWith(HINT.substring(2));
        });
        assertThat(e.getMessage()).doesNotContain("NaN");
    }

    @Test
    void oneDocumentPerFile() {
        assertThat(problems("sources: []\n---\nconnections: []\n")).containsExactly(new ConfigProblem("test.yaml", null,
                "holds more than one YAML document (another one starts near line 3); keep one document per file and remove the '---' separator"));
    }

    @Test
    void unreadableFile() {
        Path missing = Path.of("does-not-exist", "connections.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigParser().parse(missing));

        assertThat(e.problems()).containsExactly(new ConfigProblem(missing.toString(), null,
                "cannot be read (NoSuchFileException); check that the file exists, is readable and is UTF-8"));
    }
}
