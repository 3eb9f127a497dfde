package dev.caravan.routes;

import java.time.Instant;
import java.util.List;

/** What happened to a file of the route directory the last time it was (re)loaded. */
public record RouteFileStatus(String file, boolean loaded, List<String> routeIds, String error, Instant checkedAt) {
    public RouteFileStatus {
        routeIds = List.copyOf(routeIds);
    }
}
