package dev.caravan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code caravan export}: the server's configuration as YAML, secrets masked (applying it back keeps them). */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export the configuration as configs-as-code YAML (secrets masked).")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Option(names = "--connection", description = "Only this connection, its source and its destination.")
    String connection;

    @Option(names = {"-o", "--output"}, description = "Write to this file instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
        String yaml = options.client().getText("/export" + (connection == null ? "" : "?connection=" + Tables.encode(connection)));
        if (output == null) {
            System.out.print(yaml);
        } else {
            Files.writeString(output, yaml);
        }
        return 0;
    }
}
