package dev.caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.routes.RouteFileStatus;
import dev.caravan.service.ApiException;
import dev.caravan.service.ControlPlane;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.jobs.SyncCoordinator;
import dev.caravan.jobs.WorkerLimits;
import dev.caravan.jobs.SyncCoordinator.RunningJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Syncs, resets, jobs, and configs-as-code apply/export. */
final class JobHandlers {
    private static final int MAX_WAIT_SECONDS = 86_400;
    private final ApiServices services;

    JobHandlers(ApiServices services) {
        this.services = services;
    }

    /**
     * Starts a job; with {@code wait} answers when it ends (200) or when {@code timeout_seconds} pass (202, still running).
     * A connection that is already running answers 409 with the running job's id. {@code streams} (optional) names the
     * streams to sync; all of the connection's when absent or empty.
     */
    ApiResponse sync(ApiRequest request) throws Exception {
        JsonNode body = request.object(Set.of("connection", "streams", "wait", "timeout_seconds"), false);
        String connection = ApiRequest.requiredText(body, "connection");
        Set<String> streams = Set.copyOf(ApiRequest.optionalTextList(body, "streams"));
        boolean wait = ApiRequest.optionalBoolean(body, "wait", false);
        int timeout = ApiRequest.optionalInt(body, "timeout_seconds", 3600, 1, MAX_WAIT_SECONDS);
        requireKnown(connection);
        Optional<RunningJob> started = services.coordinator().start(connection, "api", null, streams);
        if (started.isEmpty()) {
            Optional<Long> running = services.coordinator().running(connection).map(RunningJob::id);
            if (running.isEmpty()) {
                // cluster mode: the skip's recorded reason names the node running (or queueing) a job of the connection
                String why = services.jobs().list(Optional.of(connection), Set.of(JobStatus.SKIPPED), 1, 0).stream().findFirst()
                        .map(JobRecord::errorMessage)
                        .orElse("a job of the connection is running on another node of the cluster");
                throw ApiException.conflict("connection '" + connection + "' was not synced: " + why + "; see GET /api/v1/jobs?connection=" + connection);
            }
            throw ApiException.conflict("connection '" + connection + "' is already running job " + running.get()
                    + "; wait for it (GET /api/v1/jobs/" + running.get() + ") or cancel it");
        }
        RunningJob job = started.get();
        if (wait) {
            try {
                JobRecord done = job.completion().get(timeout, TimeUnit.SECONDS);
                return ApiResponse.ok(JsonViews.job(done));
            } catch (TimeoutException e) {
                return ApiResponse.accepted(JsonViews.job(services.jobs().find(job.id()).orElseThrow()));
            }
        }
        return ApiResponse.accepted(JsonViews.job(services.jobs().find(job.id()).orElseThrow()));
    }

    ApiResponse reset(ApiRequest request) {
        JsonNode body = request.object(Set.of("connection", "streams"), false);
        String connection = ApiRequest.requiredText(body, "connection");
        List<String> streams = services.controlPlane().reset(connection, ApiRequest.optionalTextList(body, "streams"));
        return ApiResponse.ok(Map.of("connection", connection, "reset_streams", streams));
    }

    ApiResponse acceptSchema(ApiRequest request) {
        JsonNode body = request.object(Set.of("connection", "streams"), false);
        String connection = ApiRequest.requiredText(body, "connection");
        List<String> streams = services.controlPlane().acceptSchema(connection, ApiRequest.optionalTextList(body, "streams"));
        return ApiResponse.ok(Map.of("connection", connection, "accepted_streams", streams));
    }

    /** The jobs of one connection ({@code ?connection=}) or of all, newest first, optionally only those of some statuses. */
    ApiResponse list(ApiRequest request) {
        Optional<String> connection = request.query("connection");
        connection.ifPresent(this::requireKnown);
        Set<JobStatus> statuses = statuses(request.query("status").orElse(""));
        int limit = request.queryInt("limit", 20, 1, 1000);
        int offset = request.queryInt("offset", 0, 0, Integer.MAX_VALUE);
        List<Map<String, Object>> jobs = services.jobs().list(connection, statuses, limit, offset).stream().map(JsonViews::job).toList();
        return ApiResponse.ok(JsonViews.page(jobs, "jobs", limit, offset));
    }

    /** {@code ?status=failed,running}: statuses by name, any case; all problems reported at once. */
    private static Set<JobStatus> statuses(String text) {
        Set<JobStatus> statuses = java.util.EnumSet.noneOf(JobStatus.class);
        List<ConfigProblem> problems = new java.util.ArrayList<>();
        for (String name : text.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                statuses.add(JobStatus.valueOf(name.strip().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("?status", name.strip(), "use one or more of " + java.util.Arrays.stream(JobStatus.values())
                        .map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.joining(", ")) + ", separated by commas"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return statuses;
    }

    ApiResponse get(ApiRequest request) {
        long id = jobId(request);
        JobRecord job = services.jobs().find(id).orElseThrow(() -> ApiException.notFound("job", String.valueOf(id)));
        Map<String, Object> view = JsonViews.job(job);
        services.coordinator().running(job.connection()).filter(r -> r.id() == id).ifPresent(r -> view.put("progress", JsonViews.progress(r.job())));
        return ApiResponse.ok(view);
    }

    /** The lines captured on the job's threads (see JobLogs), as text/plain. */
    ApiResponse logs(ApiRequest request) {
        long id = jobId(request);
        services.jobs().find(id).orElseThrow(() -> ApiException.notFound("job", String.valueOf(id)));
        return new ApiResponse(200, services.jobLogs().read(id).orElse(""), "text/plain");
    }

    /**
     * 202 "cancelling": a job of this node stops at its next batch boundary, or a queued job ended; 202 "cancel requested"
     * (cluster mode): the job runs on another node, which stops it when it sees the request (within about a second).
     */
    ApiResponse cancel(ApiRequest request) {
        long id = jobId(request);
        JobRecord job = services.jobs().find(id).orElseThrow(() -> ApiException.notFound("job", String.valueOf(id)));
        SyncCoordinator.Cancel outcome = services.coordinator().cancel(id);
        if (outcome == SyncCoordinator.Cancel.NOT_ACTIVE) {
            throw ApiException.conflict("job " + id + " is not running (status " + job.status().name().toLowerCase() + ")");
        }
        if (outcome != SyncCoordinator.Cancel.REQUESTED) {
            return ApiResponse.accepted(Map.of("id", id, "status", "cancelling"));
        }
        boolean alive = services.clusterNodes().get().stream().anyMatch(node -> node.id().equals(job.nodeId()) && node.alive());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("status", "cancel requested");
        view.put("node", job.nodeId());
        view.put("message", alive ? "node " + job.nodeId() + " runs the job and stops it at its next batch boundary once it sees the request "
                + "(within about a second); follow GET /api/v1/jobs/" + id
                : "node " + job.nodeId() + " running the job stopped answering: another node ends the job as interrupted once the node has been "
                + "silent for the lease timeout, and does not resume it");
        return ApiResponse.accepted(view);
    }

    /** Re-runs a past job from its recorded start state into a new generation (see SyncCoordinator#replay). */
    ApiResponse replay(ApiRequest request) {
        long id = jobId(request);
        JobRecord original = services.jobs().find(id).orElseThrow(() -> ApiException.notFound("job", String.valueOf(id)));
        RunningJob job = services.coordinator().replay(id).orElseThrow(() -> ApiException.conflict("connection '" + original.connection()
                + "' is running; replay job " + id + " when it has ended"));
        return ApiResponse.accepted(JsonViews.job(services.jobs().find(job.id()).orElseThrow()));
    }

    ApiResponse routeFiles(ApiRequest request) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("directory", services.routeDirectory().directory().toString());
        view.put("files", services.routeDirectory().statuses().values().stream().sorted(java.util.Comparator.comparing(RouteFileStatus::file))
                .map(JsonViews::routeFile).toList());
        return ApiResponse.ok(view);
    }

    /** The nodes sharing this server's metadata store (cluster mode): each one's API, heartbeat and whether it is alive. */
    ApiResponse clusterNodes(ApiRequest request) {
        List<dev.caravan.state.ClusterRepository.Node> all = services.clusterNodes().get();
        List<Map<String, Object>> nodes = all.stream().map(node -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", node.id());
            view.put("api_url", node.apiUrl());
            view.put("alive", node.alive());
            view.put("started_at", node.startedAt().toString());
            view.put("heartbeat_at", node.heartbeatAt().toString());
            view.put("max_concurrent_jobs", node.maxConcurrentJobs());
            view.put("max_jobs_per_destination", node.maxJobsPerDestination());
            return view;
        }).toList();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("cluster", !nodes.isEmpty());
        view.put("nodes", nodes);
        view.put("warnings", WorkerLimits.disagreement(all).stream().toList());
        if (!all.isEmpty()) {
            // what this node's job starts obey: the strictest of the live nodes' limits (0: none)
            WorkerLimits applied = services.coordinator().limits();
            view.put("applied_limits", Map.of("max_concurrent_jobs", applied.maxJobs(), "max_jobs_per_destination", applied.maxPerDestination()));
        }
        return ApiResponse.ok(view);
    }

    ApiResponse export(ApiRequest request) {
        return ApiResponse.yaml(services.controlPlane().export(request.query("connection")));
    }

    /**
     * Applies the valid items of a document and reports the invalid ones (200, with {@code problems}); {@code atomic=true}
     * applies nothing when anything is invalid (400). A document with nothing valid is a 400 either way.
     */
    ApiResponse apply(ApiRequest request) {
        boolean dryRun = request.queryBoolean("dry_run");
        boolean atomic = request.queryBoolean("atomic");
        ControlPlane.ApplyResult result = services.controlPlane().apply(request.text(), "request body", dryRun, atomic);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("dry_run", dryRun);
        view.put("atomic", atomic);
        view.put("changes", result.changes());
        view.put("problems", result.problems().stream().map(JobHandlers::problem).toList());
        view.put("warnings", result.warnings().stream().map(JobHandlers::problem).toList());
        return ApiResponse.ok(view);
    }

    private static Map<String, Object> problem(ConfigProblem problem) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("path", problem.path());
        view.put("value", problem.value());
        view.put("fix", problem.fix());
        return view;
    }

    /** A connection applied through the API/YAML (route files can only add routes to one). */
    private void requireKnown(String connection) {
        if (!services.controlPlane().exists(connection)) {
            throw ApiException.notFound("connection", connection);
        }
    }

    private static long jobId(ApiRequest request) {
        String text = request.path("id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(new ConfigProblem("id", text, "a job id is a whole number"));
        }
    }
}
