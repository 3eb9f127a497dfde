package dev.caravan.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.ConnectorSpec;
import org.junit.jupiter.api.Test;

class SecretRegistryTest {

    @Test
    void knownSecretsAreMaskedAsTheyAreAndEscaped() {
        SecretRegistry secrets = new SecretRegistry();
        secrets.register("p@ss \"word\"/42");
        assertThat(secrets.mask("login p@ss \"word\"/42 refused")).isEqualTo("login ********** refused");
        assertThat(secrets.mask("{\"password\":\"p@ss \\\"word\\\"/42\"}")).isEqualTo("{\"password\":\"**********\"}");
        assertThat(secrets.mask("jdbc:x://h/db?password=p%40ss+%22word%22%2F42")).isEqualTo("jdbc:x://h/db?password=**********");
        assertThat(secrets.mask(null)).isNull();
        assertThat(secrets.mask("nothing secret")).isEqualTo("nothing secret");
    }

    @Test
    void shortValuesAndTheMaskItselfAreNotTracked() {
        SecretRegistry secrets = new SecretRegistry();
        secrets.register("abc");
        secrets.register(ConnectorSpec.MASK);
        secrets.register(null);
        assertThat(secrets.mask("abc abcd")).isEqualTo("abc abcd");
    }

    @Test
    void embeddedSecretsAreKnownAsWrittenAndDecoded() {
        SecretRegistry secrets = new SecretRegistry();
        secrets.registerEmbedded("jdbc:postgresql://reader:p%40ss-w0rd@db:5432/shop?sslpassword=key-pass-99&ssl=true");
        assertThat(secrets.mask("FATAL: password p@ss-w0rd for reader; url ...reader:p%40ss-w0rd@db; key key-pass-99"))
                .isEqualTo("FATAL: password ********** for reader; url ...reader:**********@db; key **********");
        assertThat(secrets.mask("db:5432/shop reader ssl=true")).as("the public parts stay").isEqualTo("db:5432/shop reader ssl=true");
    }

    @Test
    void registriesAreIndependent() {
        SecretRegistry one = new SecretRegistry();
        SecretRegistry two = new SecretRegistry();
        one.register("only-one-knows");
        assertThat(one.mask("x only-one-knows")).isEqualTo("x **********");
        assertThat(two.mask("x only-one-knows")).isEqualTo("x only-one-knows");
    }
}
