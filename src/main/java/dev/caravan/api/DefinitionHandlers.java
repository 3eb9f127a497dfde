package dev.caravan.api;

import dev.caravan.catalog.ConnectorDefinition;
import dev.caravan.service.ApiException;
import dev.caravan.state.JobRecord;
import dev.caravan.state.StoredDefinition.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Connectors, sources, destinations and connections: list, get, create, update, delete, check, discover. */
final class DefinitionHandlers {
    private final ApiServices services;

    DefinitionHandlers(ApiServices services) {
        this.services = services;
    }

    ApiResponse connectors(ApiRequest request) {
        List<Map<String, String>> problems = services.catalog().problems().stream()
                .map(p -> Map.of("origin", p.origin(), "message", p.message())).toList();
        return ApiResponse.ok(Map.of("connectors", services.catalog().all().stream().map(JsonViews::connector).toList(), "problems", problems));
    }

    ApiResponse connectorSpec(ApiRequest request) {
        String name = request.path("name");
        ConnectorDefinition definition = services.catalog().definition(name)
                .orElseThrow(() -> ApiException.notFound("connector", name));
        return ApiResponse.ok(JsonViews.spec(definition));
    }

    ApiResponse list(Kind kind, ApiRequest request) {
        List<Map<String, Object>> items = services.controlPlane().list(kind);
        if (kind == Kind.CONNECTION) {
            items = items.stream().map(this::withStatus).toList();
        }
        return ApiResponse.ok(Map.of(section(kind), items));
    }

    ApiResponse get(Kind kind, ApiRequest request) {
        Map<String, Object> item = services.controlPlane().get(kind, request.path("name"));
        return ApiResponse.ok(kind == Kind.CONNECTION ? withStatus(item) : item);
    }

    ApiResponse create(Kind kind, ApiRequest request) {
        Map<String, Object> item = services.controlPlane().put(kind, null, request.json(false));
        return ApiResponse.created(kind == Kind.CONNECTION ? withStatus(item) : item);
    }

    ApiResponse update(Kind kind, ApiRequest request) {
        Map<String, Object> item = services.controlPlane().put(kind, request.path("name"), request.json(false));
        return ApiResponse.ok(kind == Kind.CONNECTION ? withStatus(item) : item);
    }

    ApiResponse delete(Kind kind, ApiRequest request) {
        services.controlPlane().delete(kind, request.path("name"));
        return ApiResponse.noContent();
    }

    ApiResponse testHttpManifest(ApiRequest request) {
        com.fasterxml.jackson.databind.JsonNode body = request.object(java.util.Set.of("manifest", "config", "stream", "limit"), false);
        com.fasterxml.jackson.databind.JsonNode config = body.path("config");
        if (!config.isMissingNode() && !config.isNull() && !config.isObject()) {
            throw new dev.caravan.spi.ConfigException(new dev.caravan.spi.ConfigProblem("config", config.toString(),
                    "must be a JSON object of the http source's options"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = config.isObject() ? new com.fasterxml.jackson.databind.ObjectMapper().convertValue(config, Map.class) : Map.of();
        return ApiResponse.ok(services.controlPlane().testHttpManifest(ApiRequest.requiredText(body, "manifest"), values,
                ApiRequest.requiredText(body, "stream"), ApiRequest.optionalInt(body, "limit", 10, 1, dev.caravan.source.http.ManifestTestRead.MAX_LIMIT)));
    }

    ApiResponse check(Kind kind, ApiRequest request) {
        return ApiResponse.ok(JsonViews.check(services.controlPlane().check(kind, request.path("name"))));
    }

    ApiResponse discover(ApiRequest request) {
        return ApiResponse.ok(JsonViews.catalog(services.controlPlane().discover(request.path("name"))));
    }

    ApiResponse enable(ApiRequest request, boolean enabled) {
        return ApiResponse.ok(withStatus(services.controlPlane().setEnabled(request.path("name"), enabled)));
    }

    /** A connection as configured plus what it is doing: running job, next scheduled sync, last job. */
    private Map<String, Object> withStatus(Map<String, Object> connection) {
        String name = (String) connection.get("name");
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("running_job_id", services.coordinator().running(name).map(j -> j.id()).orElse(null));
        status.put("next_sync_at", services.schedules().nextFireTime(name).map(Object::toString).orElse(null));
        List<JobRecord> last = services.jobs().list(name, 1);
        status.put("last_job", last.isEmpty() ? null : JsonViews.summary(last.get(0)));
        Map<String, Object> view = new LinkedHashMap<>(connection);
        view.put("status", status);
        return view;
    }

    static String section(Kind kind) {
        return switch (kind) {
            case SOURCE -> "sources";
            case DESTINATION -> "destinations";
            case CONNECTION -> "connections";
        };
    }
}
