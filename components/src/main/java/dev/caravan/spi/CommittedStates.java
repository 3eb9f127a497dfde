package dev.caravan.spi;

import java.util.Map;

/** The committed state of each stream, as the sync loop keeps it: what a destination's startup recovery compares with. */
@FunctionalInterface
public interface CommittedStates {

    /** The committed state of {@code stream} of {@code connection}; empty when it has none. */
    Map<String, Object> of(String connection, String stream);
}
