package dev.caravan.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedSecretsTest {
    private static final String MASK = ConnectorSpec.MASK;

    @Test
    void aUrlPasswordAndSecretParametersAreMasked() {
        assertThat(EmbeddedSecrets.masked("jdbc:postgresql://reader:s3cret@db:5432/shop?password=other&sslpassword=keypass&ssl=true"))
                .isEqualTo("jdbc:postgresql://reader:" + MASK + "@db:5432/shop?password=" + MASK + "&sslpassword=" + MASK + "&ssl=true");
        assertThat(EmbeddedSecrets.masked("https://hooks.example/notify?token=abc123&channel=ops"))
                .isEqualTo("https://hooks.example/notify?token=" + MASK + "&channel=ops");
        assertThat(EmbeddedSecrets.masked("https://bot:t0ken@hooks.example/notify")).isEqualTo("https://bot:" + MASK + "@hooks.example/notify");
    }

    @Test
    void jdbcDialectsWithoutUriSyntax() {
        assertThat(EmbeddedSecrets.masked("jdbc:sqlserver://db:1433;databaseName=shop;user=sa;password=Str0ng!;encrypt=true"))
                .isEqualTo("jdbc:sqlserver://db:1433;databaseName=shop;user=sa;password=" + MASK + ";encrypt=true");
        assertThat(EmbeddedSecrets.masked("jdbc:mysql:loadbalance://app:pw1234@h1:3306,h2:3306/shop?trustCertificateKeyStorePassword=ks"))
                .isEqualTo("jdbc:mysql:loadbalance://app:" + MASK + "@h1:3306,h2:3306/shop?trustCertificateKeyStorePassword=" + MASK);
        assertThat(EmbeddedSecrets.masked("jdbc:postgresql://u:pw@h1:5432,h2:5432/shop")).isEqualTo("jdbc:postgresql://u:" + MASK + "@h1:5432,h2:5432/shop");
        assertThat(EmbeddedSecrets.masked("jdbc:oracle:thin:scott/tiger@//db:1521/svc")).isEqualTo("jdbc:oracle:thin:scott/" + MASK + "@//db:1521/svc");
        assertThat(EmbeddedSecrets.masked("jdbc:h2:file:/data/shop;CIPHER=AES;FILE_PASSWORD=filepw")).isEqualTo("jdbc:h2:file:/data/shop;CIPHER=AES;FILE_PASSWORD=" + MASK);
        assertThat(EmbeddedSecrets.masked("jdbc:postgresql://u:p w@db/shop?password=x y"))
                .as("not a URI (a space): the parameter is still found").isEqualTo("jdbc:postgresql://u:p w@db/shop?password=" + MASK);
    }

    @Test
    void keyValuePairsAsInJdbcParams() {
        assertThat(EmbeddedSecrets.masked("sslpassword=kp&socketTimeout=600&api_key=k1&X-Auth-Token=t&tcpKeepAlive=true"))
                .isEqualTo("sslpassword=" + MASK + "&socketTimeout=600&api_key=" + MASK + "&X-Auth-Token=" + MASK + "&tcpKeepAlive=true");
    }

    @Test
    void valuesWithoutSecretsStayAsTheyAre() {
        for (String plain : List.of("jdbc:postgresql://db:5432/shop?ssl=true", "jdbc:postgresql://reader@db/shop", "https://s3.example:9000",
                "/data/lake", "socketTimeout=600&tcpKeepAlive=true", "password=", "a, b, c", "")) {
            assertThat(EmbeddedSecrets.find(plain)).as(plain).isEmpty();
            assertThat(EmbeddedSecrets.masked(plain)).isEqualTo(plain);
        }
        assertThat(EmbeddedSecrets.find(null)).isEmpty();
    }

    @Test
    void secretKeyNames() {
        assertThat(List.of("password", "sslpassword", "trustStorePassword", "PWD", "client_secret", "access-token", "apikey", "sslkey", "sig"))
                .allMatch(EmbeddedSecrets::isSecretKey);
        assertThat(List.of("user", "ssl", "socketTimeout", "tcpKeepAlive", "databaseName", "keyspace", "applicationName"))
                .noneMatch(EmbeddedSecrets::isSecretKey);
    }

    @Test
    void maskedPartsAreRestoredFromTheStoredValueSlotBySlot() {
        String stored = "jdbc:postgresql://reader:s3cret@db:5432/shop?sslpassword=keypass&ssl=true";
        String edited = "jdbc:postgresql://reader:" + MASK + "@db2:5432/shop?ssl=false&sslpassword=" + MASK;
        assertThat(EmbeddedSecrets.restore(edited, stored)).contains("jdbc:postgresql://reader:s3cret@db2:5432/shop?ssl=false&sslpassword=keypass");
        assertThat(EmbeddedSecrets.restore(EmbeddedSecrets.masked(stored), stored)).contains(stored);
        assertThat(EmbeddedSecrets.restore("jdbc:postgresql://db/shop?password=" + MASK, stored)).as("no stored password parameter").isEmpty();
        assertThat(EmbeddedSecrets.restore("jdbc:postgresql://reader:new-one@db/shop", stored)).contains("jdbc:postgresql://reader:new-one@db/shop");
    }
}
