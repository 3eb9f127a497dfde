package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** The root command adds only the subcommand a run names, and every one when it names none or an unknown one. */
class CaravanCliTest {
    @Test
    void theUsageListsEverySubcommandWithOrWithoutHelp() {
        for (String[] args : new String[][] {{}, {"--help"}}) {
            CliRun run = CliRun.of(args);
            assertThat(run.exit()).isZero();
            for (Class<?> subcommand : CaravanCli.SUBCOMMANDS) {
                assertThat(run.out()).contains(subcommand.getAnnotation(Command.class).name());
            }
        }
    }

    @Test
    void aNamedSubcommandRunsAndAnUnknownOneIsReportedWithTheList() {
        CliRun jobs = CliRun.of("jobs", "--help");
        assertThat(jobs.exit()).isZero();
        assertThat(jobs.out()).contains("Usage: caravan jobs");
        CliRun unknown = CliRun.of("synk", "demo");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("synk").contains("sync");
    }
}
