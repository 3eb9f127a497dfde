package dev.caravan.server;

import java.util.ArrayList;
import java.util.List;

/** How long each phase of a server start took, for one debug line: "plugins 80 ms, state store 310 ms, ...". */
final class StartPhases {
    private final List<String> phases = new ArrayList<>();
    private long last = System.nanoTime();

    /** Launcher's JVM start (epoch ms), given by CaravanLauncher to the server's JVM. */
    static final String LAUNCHER_STARTED = "caravan.launcher.started";

    /**
     * What came before the server's start: the launcher's JVM up to this JVM's start (when a launcher started it), then
     * this JVM's start and the command line up to now.
     */
    void beforeStart(long jvmStartMillis, long nowMillis) {
        String launched = System.getProperty(LAUNCHER_STARTED);
        if (launched != null && launched.matches("[0-9]+")) {
            phases.add("launcher " + (jvmStartMillis - Long.parseLong(launched)) + " ms");
        }
        phases.add("JVM start and command line " + (nowMillis - jvmStartMillis) + " ms");
    }

    /** The phase that just ended. */
    void ended(String phase) {
        long now = System.nanoTime();
        phases.add(phase + " " + (now - last) / 1_000_000 + " ms");
        last = now;
    }

    @Override
    public String toString() {
        return String.join(", ", phases);
    }
}
