package dev.caravan.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code caravan} command. */
@Command(name = "caravan", mixinStandardHelpOptions = true, version = "caravan 0.1.0",
        description = "Extract-and-load inside Apache Camel: connections become routes, data lands as Parquet.")
public final class CaravanCli implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(ServeCommand.class, ApplyCommand.class, ExportCommand.class, SyncCommand.class,
            CheckCommand.class, DiscoverCommand.class, JobsCommand.class, SpecCommand.class, ConnectorCommand.class);

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cli = new CommandLine(new CaravanCli());
        // picocli builds a command's model from its annotations when it is added: a run that names its subcommand
        // (serve, sync...) builds only that one's (each costs class loading and reflection at every start)
        Class<?> named = args.length == 0 ? null : SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(args[0]))
                .findFirst().orElse(null);
        for (Class<?> subcommand : SUBCOMMANDS) {
            if (named == null || subcommand == named) {
                cli.addSubcommand(subcommand.getAnnotation(Command.class).name(), subcommand);
            }
        }
        return cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("caravan: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Spec
    CommandSpec spec;

    /** No subcommand named: every one was added, and the usage lists them. */
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
