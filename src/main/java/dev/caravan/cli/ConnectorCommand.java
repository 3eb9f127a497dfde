package dev.caravan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code caravan connector ...}: tools for connector authors. */
@Command(name = "connector", mixinStandardHelpOptions = true, description = "Tools for connector authors.",
        subcommands = ConnectorTestCommand.class)
final class ConnectorCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
