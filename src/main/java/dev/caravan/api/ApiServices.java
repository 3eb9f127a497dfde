package dev.caravan.api;

import dev.caravan.catalog.ConnectorCatalog;
import dev.caravan.jobs.JobLogs;
import dev.caravan.jobs.SyncCoordinator;
import dev.caravan.routes.RouteDirectoryWatcher;
import dev.caravan.security.TokenService;
import dev.caravan.service.ControlPlane;
import dev.caravan.service.JobHistory;
import dev.caravan.service.Schedules;
import dev.caravan.spi.SecretRegistry;
import dev.caravan.state.ClusterRepository;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** What the REST API works with; {@code clusterNodes} lists the nodes of a cluster (none on a single node). */
public record ApiServices(ControlPlane controlPlane, ConnectorCatalog catalog, SyncCoordinator coordinator, JobHistory jobs, Schedules schedules,
                          TokenService tokens, SecretRegistry secrets, RouteDirectoryWatcher routeDirectory, JobLogs jobLogs,
                          Supplier<List<ClusterRepository.Node>> clusterNodes) {
    public ApiServices {
        Objects.requireNonNull(controlPlane, "controlPlane");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(schedules, "schedules");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(routeDirectory, "routeDirectory");
        Objects.requireNonNull(jobLogs, "jobLogs");
        Objects.requireNonNull(clusterNodes, "clusterNodes");
    }
}
