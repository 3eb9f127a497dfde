package dev.caravan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.caravan.spi.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Huge, alias-bombed and deeply nested YAML is refused at once, with the limits named, before it can fill the heap. */
class YamlLimitsTest {

    private static ConfigException refused(String yaml) {
        long start = System.nanoTime();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlDocument.read(yaml, "doc.yaml"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused quickly").isLessThan(Duration.ofSeconds(1));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    @Test
    void aBillionLaughsDocumentIsRefused() {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(p);
            for (int i = 0; i < 8; i++) {
                yaml.append(",*").append(p);
            }
            yaml.append("]\n");
        }
        assertThat(refused(yaml.toString()).getMessage()).contains("doc.yaml").contains("aliases");
    }

    @Test
    void aDocumentOverTheSizeLimitIsRefused() {
        String line = "# " + "x".repeat(1022) + "\n";
        String yaml = line.repeat(YamlDocument.MAX_CODE_POINTS / line.length() + 2) + "sources: []\n";
        assertThat(refused(yaml).getMessage()).contains("doc.yaml").contains("characters");
    }

    @Test
    void deepNestingIsRefused() {
        String yaml = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertThat(refused(yaml).getMessage()).contains("doc.yaml").contains("nesting");
    }

    @Test
    void anAliasIsRefusedRatherThanReadAsNothing() {
        assertThat(refused("base: &b {count: 1}\nother: *b\n").getMessage()).contains("aliases (*b at line 2) are not supported");
    }

    @Test
    void ordinaryNestingStillWorks() {
        String nested = "a: " + "[".repeat(40) + "1" + "]".repeat(40) + "\n";
        assertThat(YamlDocument.read(nested, "ok.yaml").get("a")).isNotNull();
    }
}
