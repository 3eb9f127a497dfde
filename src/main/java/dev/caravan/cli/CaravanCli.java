package dev.caravan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code caravan} command. */
@Command(name = "caravan", mixinStandardHelpOptions = true, version = "caravan 0.1.0",
        description = "Extract-and-load inside Apache Camel: connections become routes, data lands as Parquet.",
        subcommands = {ServeCommand.class, ApplyCommand.class, ExportCommand.class, SyncCommand.class, CheckCommand.class,
                DiscoverCommand.class, JobsCommand.class, SpecCommand.class, ConnectorCommand.class})
public final class CaravanCli implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return new CommandLine(new CaravanCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("caravan: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
