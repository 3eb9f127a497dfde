package dev.caravan.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.source.jdbc.generic.GenericJdbcSource;
import dev.caravan.source.jdbc.mysql.MySqlSource;
import dev.caravan.source.jdbc.postgres.PostgresSource;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Options, defaults and validation of the JDBC connectors; stream names. */
class JdbcConfigTest {
    @Test
    void defaultsAreDeclaredOnceAndApplied() {
        ConnectorConfig pg = new PostgresSource().spec().validate(Map.of("host", "db", "database", "shop", "username", "u"), "");
        assertThat(pg.values()).containsEntry("port", 5432L).containsEntry("schemas", "public").containsEntry("ssl_mode", "prefer")
                .containsEntry("fetch_size", 10_000L).containsEntry("connect_timeout_seconds", 10L);
        ConnectorConfig my = new MySqlSource().spec().validate(Map.of("host", "db", "database", "shop", "username", "u"), "");
        assertThat(my.values()).containsEntry("port", 3306L).containsEntry("ssl_mode", "disable").doesNotContainKey("schemas");
        assertThat(new PostgresSource().spec().secretNames()).containsExactly("password");
        assertThat(new MySqlSource().spec().secretNames()).containsExactly("password");
        assertThat(new GenericJdbcSource().spec().secretNames()).containsExactly("password");
    }

    @Test
    void everyProblemIsReportedAtOnceAndSecretsAreMasked() {
        assertThatThrownBy(() -> new PostgresSource().spec().validate(Map.of("port", 0, "ssl_mode", "maybe", "password", 42), "sources.pg.config."))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                        "sources.pg.config.host", "sources.pg.config.port", "sources.pg.config.database", "sources.pg.config.username",
                        "sources.pg.config.password", "sources.pg.config.ssl_mode"))
                .hasMessageNotContaining("42");
        CheckResult badParams = new PostgresSource().check(new PostgresSource().spec().validate(Map.of("host", "db host", "database", "d",
                "username", "u", "jdbc_params", "a=1&password=x&broken"), ""));
        assertThat(badParams.succeeded()).isFalse();
        assertThat(badParams.message()).contains("host").contains("set the password option instead").contains("broken").doesNotContain("=x");
    }

    @Test
    void paramsAndSchemasParse() {
        Properties properties = new Properties();
        List<ConfigProblem> problems = new ArrayList<>();
        JdbcSettings.parseParams("socketTimeout=600& tcpKeepAlive = true&options=-c a=b", "jdbc_params", properties, problems);
        assertThat(problems).isEmpty();
        assertThat(properties).containsEntry("socketTimeout", "600").containsEntry("tcpKeepAlive", "true").containsEntry("options", "-c a=b");
        assertThat(JdbcSettings.splitSchemas(" public, Odd Schema ,,public")).containsExactly("public", "Odd Schema");
        JdbcSettings settings = new JdbcSettings("jdbc:x", null, new Properties(), "u", "top-secret", List.of(), 1, 1, "X");
        assertThat(settings.toString()).doesNotContain("top-secret");
        assertThat(settings.scrub("login top-secret refused")).isEqualTo("login ********** refused");
    }

    @Test
    void driverMessagesLoseTheSecretsOfTheUrlAndOfTheParams() {
        Properties properties = new Properties();
        properties.setProperty("sslpassword", "key-pass-31");
        properties.setProperty("socketTimeout", "600");
        JdbcSettings settings = new JdbcSettings("jdbc:postgresql://app:url-pass-17@db/shop?password=query-pass-23", null, properties, null, null,
                List.of(), 1, 1, "X");
        assertThat(settings.scrub("no driver for jdbc:postgresql://app:url-pass-17@db/shop?password=query-pass-23 (key key-pass-31, timeout 600)"))
                .isEqualTo("no driver for jdbc:postgresql://app:**********@db/shop?password=********** (key **********, timeout 600)");
    }

    @Test
    void streamNamesAreSchemaDotTableWithPathCharactersReplaced() {
        assertThat(StreamNames.of("public", "users")).isEqualTo("public.users");
        assertThat(StreamNames.of("Odd Schema", "Mixed.Case Täble")).isEqualTo("Odd Schema.Mixed.Case Täble");
        assertThat(StreamNames.of("a/b", "c\\d\te")).isEqualTo("a_b.c_d_e");
    }
}
