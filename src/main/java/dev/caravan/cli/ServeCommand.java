package dev.caravan.cli;

import dev.caravan.server.CaravanServer;
import dev.caravan.server.ServerSettings;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan serve}: runs the server; optionally applies documents and runs syncs first. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the Caravan server.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--home", description = "Base directory for camel-routes/ and data/ (default: current directory).")
    Path home;

    @Option(names = "--state-url", description = "JDBC URL of the metadata store (default: embedded H2 under <home>/data).")
    String stateUrl;

    @Option(names = {"-f", "--apply"}, description = "Configs-as-code YAML file to apply at start (repeatable).")
    List<Path> apply = List.of();

    @Option(names = "--sync", description = "Connection to sync once started (repeatable).")
    List<String> sync = List.of();

    @Option(names = "--exit", description = "Stop after the --apply and --sync steps instead of serving.")
    boolean exit;

    private int applyAndSync(CaravanServer server) {
        for (Path file : apply) {
            server.apply(file);
        }
        if (exit) {
            server.settleDestinationsOf(sync);
        }
        int failures = 0;
        for (String connection : sync) {
            Optional<JobRecord> job = server.syncNow(connection);
            if (job.isEmpty()) {
                System.out.println("Connection " + connection + " is already syncing; skipped.");
                continue;
            }
            JobReport.print(job.get(), server, System.out);
            if (job.get().status() != JobStatus.SUCCEEDED) {
                failures++;
            }
        }
        return failures;
    }

    /** The settings this command's options set, over those of application.properties, the environment and system properties. */
    Map<String, String> overrides() {
        Map<String, String> overrides = new HashMap<>();
        if (home != null) {
            overrides.put(ServerSettings.HOME, home.toString());
        }
        if (stateUrl != null) {
            overrides.put(ServerSettings.STATE_URL, stateUrl);
        }
        if (exit) {
            // a one-shot run (apply, sync, stop) has no one to call the API, look at a console or connect over JMX:
            // no HTTP server and no MBeans at all
            overrides.put(ServerSettings.HTTP_ENABLED, "false");
            overrides.put(ServerSettings.JMX_ENABLED, "false");
            // nor needs every lake settled before its sync: only those of the connections it syncs (applyAndSync)
            overrides.put(ServerSettings.RECOVERY_AT_START, "false");
            // nor the routes of connections it does not sync (a run that only applies loads them all: that checks them)
            overrides.put(ServerSettings.ROUTES_ONLY_CONNECTIONS, String.join(",", sync));
        }
        return overrides;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = overrides();
        CaravanServer server = CaravanServer.start(ServerSettings.load(overrides));
        int failures;
        try {
            failures = applyAndSync(server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        if (exit) {
            server.close();
            return failures == 0 ? 0 : 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "caravan-shutdown"));
        System.out.println("Caravan is running (Ctrl-C to stop). Route directory: " + server.settings().routesDirectory());
        stopped.await();
        return 0;
    }
}
