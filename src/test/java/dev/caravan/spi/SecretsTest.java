package dev.caravan.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void knownSecretsAreMaskedAsTheyAreAndEscaped() {
        Secrets.register("p@ss \"word\"/42");
        assertThat(Secrets.mask("login p@ss \"word\"/42 refused")).isEqualTo("login ********** refused");
        assertThat(Secrets.mask("{\"password\":\"p@ss \\\"word\\\"/42\"}")).isEqualTo("{\"password\":\"**********\"}");
        assertThat(Secrets.mask("jdbc:x://h/db?password=p%40ss+%22word%22%2F42")).isEqualTo("jdbc:x://h/db?password=**********");
        assertThat(Secrets.mask(null)).isNull();
        assertThat(Secrets.mask("nothing secret")).isEqualTo("nothing secret");
    }

    @Test
    void shortValuesAndTheMaskItselfAreNotTracked() {
        Secrets.register("abc");
        Secrets.register(ConnectorSpec.MASK);
        Secrets.register(null);
        assertThat(Secrets.mask("abc abcd")).isEqualTo("abc abcd");
    }
}
