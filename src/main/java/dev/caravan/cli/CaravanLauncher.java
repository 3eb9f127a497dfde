package dev.caravan.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The jar's entry point. {@code caravan serve} started without a heap size ({@code java -jar caravan.jar serve}, as the
 * README shows) runs in a child JVM started with sane defaults: a bounded heap ({@code CARAVAN_HEAP}, default
 * {@value #DEFAULT_HEAP}), a throughput collector ({@link #collector}), on 2 cores or fewer lazier compilation
 * ({@link #FEW_CORES_COMPILATION}), and class-data sharing from an archive this launcher has the first
 * run write (later runs start faster). Anything else, or {@code serve} with a heap size given ({@code -Xmx},
 * {@code -XX:MaxRAMPercentage}, ... on the command line or in {@code JAVA_TOOL_OPTIONS}/{@code JDK_JAVA_OPTIONS}), or
 * {@code CARAVAN_LAUNCHER=off}, runs in this JVM unchanged.
 *
 * <p>The child inherits the terminal, the environment and this JVM's options; its exit code is this process's. A
 * SIGTERM/Ctrl-C here stops the child gracefully first; if this process dies without that (kill -9), the child halts
 * as a killed server would. Loads nothing but the JDK before deciding, so the extra JVM costs little.
 */
public final class CaravanLauncher {
    static final String DEFAULT_HEAP = "320m";
    static final String CHILD_MARK = "caravan.launcher.child";
    private static final List<String> HEAP_FLAGS = List.of("-Xmx", "-XX:MaxHeapSize", "-XX:MaxRAMPercentage", "-XX:MaxRAM",
            "-XX:MaxRAMFraction");
    private static final long STOP_WAIT_SECONDS = 30;

    private CaravanLauncher() {
    }

    public static void main(String[] args) throws Exception {
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (System.getProperty(CHILD_MARK) != null) {
            haltWhenParentDies();
            CaravanCli.main(args);
            return;
        }
        Path jar = ownJar();
        if (!shouldRelaunch(args, jvmOptions, System.getenv(), jar)) {
            CaravanCli.main(args);
            return;
        }
        System.exit(runChild(jar, args, jvmOptions));
    }

    /** Whether {@code args} is a {@code serve} to run in a child JVM with the defaults. */
    static boolean shouldRelaunch(String[] args, List<String> jvmOptions, Map<String, String> env, Path jar) {
        if (jar == null || args.length == 0 || !"serve".equals(args[0])) {
            return false;
        }
        if ("off".equalsIgnoreCase(env.getOrDefault("CARAVAN_LAUNCHER", "").trim())) {
            return false;
        }
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(split(env.get("JAVA_TOOL_OPTIONS")));
        all.addAll(split(env.get("JDK_JAVA_OPTIONS")));
        return all.stream().noneMatch(option -> HEAP_FLAGS.stream().anyMatch(option::startsWith));
    }

    /** The child's command line: this JVM's java, the defaults, the options this JVM got, CARAVAN_JAVA_OPTS, the jar and the arguments. */
    static List<String> childCommand(Path javaHome, Path jar, String[] args, List<String> jvmOptions, Map<String, String> env, CdsArchive cds,
                                     int cores) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        String heap = env.getOrDefault("CARAVAN_HEAP", "").trim();
        command.add("-Xmx" + (heap.isEmpty() ? DEFAULT_HEAP : heap));
        List<String> extra = split(env.get("CARAVAN_JAVA_OPTS"));
        boolean collectorChosen = java.util.stream.Stream.concat(jvmOptions.stream(), extra.stream())
                .anyMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"));
        if (!collectorChosen) {
            command.add(collector(cores));
        }
        boolean compilationChosen = java.util.stream.Stream.concat(jvmOptions.stream(), extra.stream())
                .anyMatch(o -> o.startsWith("-XX:CompileThresholdScaling") || o.startsWith("-XX:TieredStopAtLevel") || o.equals("-Xint"));
        if (!compilationChosen && cores <= 2) {
            command.add(FEW_CORES_COMPILATION);
        }
        if (cds != null) {
            command.addAll(cds.options());
        }
        command.addAll(jvmOptions);
        command.addAll(extra);
        command.add("-D" + CHILD_MARK + "=" + ProcessHandle.current().pid());
        // the server's debug log line of start phases counts the launcher's own start too
        command.add("-Dcaravan.launcher.started=" + ManagementFactory.getRuntimeMXBean().getStartTime());
        command.add("-cp");
        command.add(jar.toString());
        command.add(CaravanLauncher.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * A copy allocates short-lived rows at a high rate: a throughput collector costs far less CPU than G1 here. On two
     * cores or fewer, the serial one: the copy's reader and writer already use both, and parallel collection threads only
     * compete with them (a 10M-row copy: less CPU and 25-40 MB less memory, the same time).
     */
    /**
     * On two cores or fewer the JIT compilers compete with the copy's threads too: methods are compiled after three times
     * as many calls, which leaves most of the start-up code (run a few times) interpreted instead of compiled. Measured on 2
     * cores, alternating runs: 0.9 CPU-s less for a start and a one-shot sync of 1,000 rows (3.4 to 2.5), 0.85 less with 1M
     * rows, 1.1 less (6%) with 10M, the same time.
     */
    static final String FEW_CORES_COMPILATION = "-XX:CompileThresholdScaling=3";

    static String collector(int cores) {
        return cores <= 2 ? "-XX:+UseSerialGC" : "-XX:+UseParallelGC";
    }

    private static int runChild(Path jar, String[] args, List<String> jvmOptions) throws IOException, InterruptedException {
        Path javaHome = Path.of(System.getProperty("java.home"));
        CdsArchive cds = "off".equalsIgnoreCase(System.getenv().getOrDefault("CARAVAN_CDS", "").trim()) ? null
                : CdsArchive.of(jar, javaHome, Runtime.version().toString());
        Process child = new ProcessBuilder(childCommand(javaHome, jar, args, jvmOptions, System.getenv(), cds,
                Runtime.getRuntime().availableProcessors())).inheritIO().start();
        Thread forward = new Thread(() -> stop(child), "caravan-launcher-stop");
        Runtime.getRuntime().addShutdownHook(forward);
        int code = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(forward);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for the child too
        }
        if (cds != null) {
            cds.publish();
        }
        return code;
    }

    /** On this process's SIGTERM/Ctrl-C: the child gets a SIGTERM (its graceful stop) and some time to finish it. */
    private static void stop(Process child) {
        child.destroy();
        try {
            if (!child.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A child whose launcher was killed outright goes the same way (a supervisor that killed it expects no server left). */
    private static void haltWhenParentDies() {
        String parentPid = System.getProperty(CHILD_MARK);
        ProcessHandle.current().parent().filter(parent -> Long.toString(parent.pid()).equals(parentPid)).ifPresent(parent -> {
            Thread watcher = new Thread(() -> {
                while (parent.isAlive()) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                killSelf();
            }, "caravan-launcher-watch");
            watcher.setDaemon(true);
            watcher.start();
        });
    }

    /** As a SIGKILL would: no shutdown hooks, and no class-data-sharing archive written at exit (halt would write it). */
    private static void killSelf() {
        try {
            new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | RuntimeException e) {
            // no kill command: halt instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(137);
    }

    private static Path ownJar() {
        try {
            Path path = Path.of(CaravanLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(path) && path.toString().endsWith(".jar") ? path : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static List<String> split(String options) {
        if (options == null || options.isBlank()) {
            return List.of();
        }
        return List.of(options.trim().split("\\s+"));
    }

    /**
     * The class-data-sharing archive of one jar on one JVM: {@code <tmp>/caravan-cds/<key>.jsa}. Without it the child
     * writes one at its exit into a file of its own, which becomes the archive once the child has ended (two first runs
     * at once each write theirs; the last one wins, both are valid).
     */
    record CdsArchive(Path archive, Path writing) {
        static CdsArchive of(Path jar, Path javaHome, String javaVersion) {
            try {
                String key = Integer.toHexString((jar.toAbsolutePath() + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis()
                        + "|" + javaHome + "|" + javaVersion).hashCode());
                Path dir = Path.of(System.getProperty("java.io.tmpdir"), "caravan-cds-" + userName());
                Files.createDirectories(dir);
                Path archive = dir.resolve("caravan-" + key + ".jsa");
                if (Files.isRegularFile(archive) && Files.size(archive) > 0) {
                    return new CdsArchive(archive, null);
                }
                return new CdsArchive(archive, dir.resolve("caravan-" + key + "." + ProcessHandle.current().pid() + ".writing"));
            } catch (IOException | RuntimeException e) {
                return null; // no archive: the server starts as without the launcher, only slower
            }
        }

        List<String> options() {
            // the JVM's notes about classes it cannot archive are not the operator's concern
            List<String> quiet = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
            List<String> options = new ArrayList<>(quiet);
            options.add(writing == null ? "-XX:SharedArchiveFile=" + archive : "-XX:ArchiveClassesAtExit=" + writing);
            return options;
        }

        void publish() {
            if (writing == null) {
                return;
            }
            try {
                if (Files.isRegularFile(writing) && Files.size(writing) > 0) {
                    Files.move(writing, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException | RuntimeException e) {
                // the next run writes one again
            } finally {
                try {
                    Files.deleteIfExists(writing);
                } catch (IOException e) {
                    // left in the temp folder
                }
            }
        }

        private static String userName() {
            return System.getProperty("user.name", "user").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
        }
    }
}
