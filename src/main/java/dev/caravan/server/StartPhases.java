package dev.caravan.server;

import java.util.ArrayList;
import java.util.List;

/** How long each phase of a server start took, for one debug line: "plugins 80 ms, state store 310 ms, ...". */
final class StartPhases {
    private final List<String> phases = new ArrayList<>();
    private long last = System.nanoTime();

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
