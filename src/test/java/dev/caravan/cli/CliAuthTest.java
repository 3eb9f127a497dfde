package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.ServerSettings;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a server that requires API tokens: --token (or CARAVAN_TOKEN) is sent as a bearer token. */
class CliAuthTest {
    private static final String ADMIN = "cvn_cli-test-admin-token-0123456789";

    @TempDir
    Path home;

    @Test
    void theTokenIsSentAndItsAbsenceExplained() {
        try (TestingServer server = new TestingServer(home, Map.of(ServerSettings.AUTH_ENABLED, "true",
                ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, ADMIN))) {
            String[] refused = cli("export", "--server", server.apiUrl());
            assertThat(refused[0]).isEqualTo("1");
            assertThat(refused[2]).contains("requires an API token: pass --token or set CARAVAN_TOKEN");
            String[] exported = cli("export", "--server", server.apiUrl(), "--token", ADMIN);
            assertThat(exported[0]).as(exported[2]).isEqualTo("0");
            assertThat(exported[1]).contains("sources:");
        }
    }

    /** Exit code, standard output and standard error of the CLI run in this JVM. */
    private static String[] cli(String... args) {
        CliRun run = CliRun.of(args);
        return new String[] {String.valueOf(run.exit()), run.out(), run.err()};
    }
}
