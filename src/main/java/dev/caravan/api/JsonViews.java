package dev.caravan.api;

import dev.caravan.catalog.ConnectorDefinition;
import dev.caravan.catalog.SpecJsonSchema;
import dev.caravan.routes.RouteFileStatus;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.Field;
import dev.caravan.spi.SyncMode;
import dev.caravan.state.AttemptRecord;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStreamRecord;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.SyncJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API's read models (snake_case, like the configs-as-code format). */
final class JsonViews {
    private JsonViews() {
    }

    static Map<String, Object> connector(ConnectorDefinition definition) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", definition.name());
        view.put("kind", definition.kind().name().toLowerCase());
        view.put("version", definition.version());
        view.put("title", definition.title());
        view.put("description", definition.description());
        view.put("sdk_version", definition.sdkVersion());
        view.put("origin", definition.origin());
        return view;
    }

    static Map<String, Object> spec(ConnectorDefinition definition) {
        Map<String, Object> view = connector(definition);
        view.put("spec", SpecJsonSchema.render(definition.spec()));
        return view;
    }

    static Map<String, Object> check(CheckResult result) {
        return Map.of("status", result.succeeded() ? "succeeded" : "failed", "message", result.message());
    }

    static Map<String, Object> catalog(Catalog catalog) {
        return Map.of("streams", catalog.streams().stream().map(JsonViews::stream).toList());
    }

    private static Map<String, Object> stream(CatalogStream stream) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", stream.name());
        view.put("fields", stream.schema().fields().stream().map(JsonViews::field).toList());
        view.put("supported_sync_modes", stream.supportedSyncModes().stream().map(SyncMode::configName).toList());
        view.put("primary_key", stream.primaryKey());
        view.put("cursor_candidates", stream.cursorCandidates());
        view.put("default_cursor_field", stream.defaultCursorField());
        return view;
    }

    private static Map<String, Object> field(Field field) {
        return Map.of("name", field.name(), "type", field.type().toString(), "nullable", field.nullable());
    }

    static Map<String, Object> job(JobRecord job) {
        Map<String, Object> view = summary(job);
        view.put("attempts", job.attempts().stream().map(JsonViews::attempt).toList());
        view.put("streams", job.streams().stream().map(JsonViews::jobStream).toList());
        view.put("schema_changes", job.schemaChanges().stream().map(JsonViews::schemaChange).toList());
        return view;
    }

    static Map<String, Object> summary(JobRecord job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", job.id());
        view.put("connection", job.connection());
        view.put("trigger", job.trigger());
        view.put("status", job.status().name().toLowerCase());
        view.put("scheduled_at", job.scheduledAt() == null ? null : job.scheduledAt().toString());
        if (job.nodeId() != null) {
            view.put("node", job.nodeId());
        }
        view.put("started_at", job.startedAt().toString());
        view.put("ended_at", job.endedAt() == null ? null : job.endedAt().toString());
        view.put("duration_ms", job.endedAt() == null ? null : Duration.between(job.startedAt(), job.endedAt()).toMillis());
        view.put("records", job.records());
        view.put("bytes", job.bytes());
        view.put("error_type", job.errorType() == null ? null : job.errorType().toLowerCase());
        view.put("error", job.errorMessage());
        return view;
    }

    private static Map<String, Object> attempt(AttemptRecord attempt) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("attempt", attempt.attempt());
        view.put("status", attempt.status().name().toLowerCase());
        view.put("started_at", attempt.startedAt().toString());
        view.put("ended_at", attempt.endedAt() == null ? null : attempt.endedAt().toString());
        view.put("records", attempt.records());
        view.put("bytes", attempt.bytes());
        view.put("error_type", attempt.errorType() == null ? null : attempt.errorType().toLowerCase());
        view.put("error", attempt.errorMessage());
        return view;
    }

    private static Map<String, Object> jobStream(JobStreamRecord stream) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("attempt", stream.attempt());
        view.put("stream", stream.stream());
        view.put("status", stream.status().name().toLowerCase());
        view.put("sync_mode", stream.syncMode());
        view.put("records", stream.records());
        view.put("bytes", stream.bytes());
        view.put("files", stream.files());
        view.put("start_state", stream.startState());
        view.put("end_state", stream.endState());
        view.put("error", stream.errorMessage());
        view.put("warnings", stream.warnings());
        view.put("connectors", stream.connectors());
        view.put("schema_changes", stream.schemaChanges().stream().map(JsonViews::schemaChange).toList());
        return view;
    }

    /** One change of a stream's source schema and what the sync did about it. */
    static Map<String, Object> schemaChange(SchemaChange change) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("stream", change.stream());
        view.put("kind", change.kind().name().toLowerCase());
        view.put("column", change.column());
        view.put("from", change.from());
        view.put("to", change.to());
        view.put("action", change.action().name().toLowerCase());
        view.put("breaking", change.breaking());
        view.put("note", change.note());
        return view;
    }

    /** Records delivered so far by a running job and its rate. */
    static Map<String, Object> progress(SyncJob job) {
        long records = job.progress().records();
        double seconds = Math.max(1, Duration.between(job.startedAt(), java.time.Instant.now()).toMillis()) / 1000.0;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("records", records);
        view.put("records_per_second", Math.round(records / seconds));
        view.put("stream", job.progress().stream());
        return view;
    }

    static Map<String, Object> routeFile(RouteFileStatus status) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("file", status.file());
        view.put("state", status.state().name().toLowerCase());
        view.put("routes", status.routeIds());
        view.put("error", status.error());
        view.put("checked_at", status.checkedAt().toString());
        return view;
    }

    static Map<String, Object> page(List<Map<String, Object>> items, String key, int limit, int offset) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put(key, items);
        view.put("limit", limit);
        view.put("offset", offset);
        return view;
    }
}
