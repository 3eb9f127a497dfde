package dev.caravan.routes;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What happened to a file of the route directory the last time it was (re)loaded. {@code routeIds}: the routes of the
 * file that run now (a failed or refused edit leaves the previous version running); {@code error}: why the file's
 * current content failed or was refused, null when it is loaded.
 */
public record RouteFileStatus(String file, State state, List<String> routeIds, String error, Instant checkedAt) {

    /** {@code loaded}: running as it is; {@code failed}: cannot be parsed or started; {@code refused}: it would touch what is not its own. */
    public enum State { LOADED, FAILED, REFUSED }

    public RouteFileStatus {
        Objects.requireNonNull(state, "state");
        routeIds = List.copyOf(routeIds);
    }

    public boolean loaded() {
        return state == State.LOADED;
    }
}
