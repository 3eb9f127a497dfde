package dev.caravan.api;

import dev.caravan.catalog.ConnectorCatalog;
import dev.caravan.routes.RouteDirectoryWatcher;
import dev.caravan.security.TokenService;
import dev.caravan.server.ControlPlane;
import dev.caravan.server.Schedules;
import dev.caravan.security.SecretRegistry;
import dev.caravan.state.JobRepository;
import dev.caravan.sync.SyncCoordinator;
import java.util.Objects;

/** What the REST API works with. */
public record ApiServices(ControlPlane controlPlane, ConnectorCatalog catalog, SyncCoordinator coordinator, JobRepository jobs, Schedules schedules,
                          TokenService tokens, SecretRegistry secrets, RouteDirectoryWatcher routeDirectory) {
    public ApiServices {
        Objects.requireNonNull(controlPlane, "controlPlane");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(schedules, "schedules");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(routeDirectory, "routeDirectory");
    }
}
