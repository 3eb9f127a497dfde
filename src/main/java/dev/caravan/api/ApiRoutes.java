package dev.caravan.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caravan.service.ApiException;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.SecretRegistry;
import dev.caravan.state.StoredDefinition.Kind;
import dev.caravan.spi.ErrorClassifier;
import dev.caravan.jobs.SyncRefusedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /api/v1}, declared with Camel's REST DSL (served by the servlet component on the server's
 * HTTP port; OpenAPI document at {@code /api/v1/openapi.json}). Each operation is a small route calling a handler;
 * errors become JSON {@code {"code", "message", "problems": [{"path", "value", "fix"}]}}.
 */
public final class ApiRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final String BEARER = "bearer";
    private static final String BASIC = "basic";
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final DefinitionHandlers definitions;
    private final JobHandlers jobs;
    private final TokenHandlers tokens;
    private final SecretRegistry secrets;

    @FunctionalInterface
    interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    public ApiRoutes(ApiServices services) {
        this.definitions = new DefinitionHandlers(services);
        this.jobs = new JobHandlers(services);
        this.tokens = new TokenHandlers(services.tokens());
        this.secrets = services.secrets();
    }

    @Override
    public void configure() {
        restConfiguration().component("servlet").contextPath("/api/v1").apiContextPath("/openapi.json")
                .apiProperty("api.title", "Caravan API").apiProperty("api.version", "1")
                .apiProperty("api.description", "Sources, destinations, connections, syncs and jobs of a Caravan server. "
                        + "With authentication on, every operation needs an API token (bearer, or basic auth with the token's name "
                        + "and secret): reading needs role viewer, changing editor, managing tokens admin.");
        rest().securityDefinitions()
                .bearerToken(BEARER, "An API token: Authorization: Bearer <token>")
                .basicAuth(BASIC, "An API token as basic auth: its name as user, its secret as password")
                .end();

        op(rest("/connectors").get(), "listConnectors", "List the connectors of the catalog", definitions::connectors);
        op(rest("/connectors").get("/{name}/spec").param().name("name").type(RestParamType.path).endParam(), "getConnectorSpec",
                "A connector's configuration spec (JSON Schema)", definitions::connectorSpec);
        op(rest("/connectors").post("/http/test").consumes("application/json"), "testHttpManifest",
                "Test-read a stream of an HTTP API manifest: {\"manifest\": YAML text, \"config\": the http source's options, \"stream\", "
                        + "\"limit\" (10, at most 1000)}; answers the requests made (secrets masked), the fields, the records and the error if "
                        + "the read failed. Role editor", definitions::testHttpManifest);

        crud("/sources", Kind.SOURCE, "source");
        op(named(rest("/sources").post("/{name}/check")), "checkSource", "Check that the source can be reached and read",
                r -> definitions.check(Kind.SOURCE, r));
        op(named(rest("/sources").post("/{name}/discover")), "discoverSource", "The streams the source offers (its catalog)",
                definitions::discover);

        crud("/destinations", Kind.DESTINATION, "destination");
        op(named(rest("/destinations").post("/{name}/check")), "checkDestination", "Check that the destination can be written",
                r -> definitions.check(Kind.DESTINATION, r));

        op(rest("/connections").post("/sync").consumes("application/json"), "syncConnection",
                "Start a sync job: {\"connection\", \"streams\" (optional: only these), \"wait\", \"timeout_seconds\"}; 200 with the job when it ended, 202 while running",
                jobs::sync);
        op(rest("/connections").post("/reset").consumes("application/json"), "resetConnection",
                "Clear the state of a connection's streams: {\"connection\", \"streams\"}", jobs::reset);
        op(rest("/connections").post("/accept-schema").consumes("application/json"), "acceptSchemaChanges",
                "Accept the current source schema of a connection's streams (all when streams is left out) after a breaking change or a "
                        + "pause: {\"connection\", \"streams\"}; their next sync takes the schema as it is then", jobs::acceptSchema);
        crud("/connections", Kind.CONNECTION, "connection");
        op(named(rest("/connections").post("/{name}/enable")), "enableConnection", "Enable the connection's schedule",
                r -> definitions.enable(r, true));
        op(named(rest("/connections").post("/{name}/disable")), "disableConnection", "Disable the connection's schedule",
                r -> definitions.enable(r, false));

        op(rest("/jobs").get()
                .param().name("connection").type(RestParamType.query).required(false).description("Only this connection's jobs (default: all)").endParam()
                .param().name("status").type(RestParamType.query).required(false)
                .description("Only jobs of these statuses, comma separated: running, succeeded, failed, cancelled, interrupted, skipped, queued").endParam()
                .param().name("limit").type(RestParamType.query).required(false).description("Jobs per page, 1 to 1000 (20)").endParam()
                .param().name("offset").type(RestParamType.query).required(false).description("Jobs to skip (0)").endParam(),
                "listJobs", "Recent jobs of one connection or of all, newest first, with paging and a status filter", jobs::list);
        op(rest("/jobs").get("/{id}").param().name("id").type(RestParamType.path).endParam(), "getJob", "A job with its streams", jobs::get);
        op(rest("/jobs").get("/{id}/logs").produces("text/plain").param().name("id").type(RestParamType.path).endParam(), "getJobLogs",
                "The job's own log (its lines from every attempt, secrets masked) as text; an empty text when none was captured or it was pruned",
                jobs::logs);
        op(rest("/jobs").post("/{id}/cancel").param().name("id").type(RestParamType.path).endParam(), "cancelJob",
                "Stop a running job at the next batch boundary, or cancel a queued one; in a cluster any node cancels any job: a job running on another node answers status 'cancel requested' and that node stops it within about a second", jobs::cancel);

        op(rest("/jobs").post("/{id}/replay").param().name("id").type(RestParamType.path).endParam(), "replayJob",
                "Re-run a past job from the state it started at, exactly its records again, into a new generation", jobs::replay);
        op(rest("/export").get().produces("application/yaml").param().name("connection").type(RestParamType.query).required(false).endParam(),
                "exportConfig", "The configuration as a configs-as-code YAML document, secrets masked", jobs::export);
        op(rest("/apply").post().consumes("application/yaml").param().name("dry_run").type(RestParamType.query).required(false).endParam()
                .param().name("atomic").type(RestParamType.query).required(false).description("true: apply nothing if any item is invalid").endParam(),
                "applyConfig", "Create or update the valid items of a configs-as-code YAML document and report the invalid ones (problems) and"
                        + " warnings (e.g. a source that cannot be reached now); atomic=true applies nothing if anything is invalid;"
                        + " dry_run=true only reports", jobs::apply);

        op(rest("/route-files").get(), "listRouteFiles", "The files of the route directory: loaded, failed (cannot be parsed or started) or "
                + "refused (would read or write what is not theirs), with their routes and the reason", jobs::routeFiles);

        op(rest("/cluster/nodes").get(), "listClusterNodes", "The nodes of the cluster sharing this metadata store (cluster mode; empty on a "
                + "single node): id, API URL, start, last heartbeat, alive. Route files are per node: ask each node's /route-files", jobs::clusterNodes);

        op(rest("/tokens").get(), "listTokens", "List the API tokens (name, role, creation, last use; never their secrets). Role admin",
                tokens::list);
        op(rest("/tokens").post().consumes("application/json"), "createToken",
                "Create an API token: {\"name\", \"role\": admin | editor | viewer}; the answer holds its secret, shown only this once. Role admin",
                tokens::create);
        op(named(rest("/tokens").delete("/{name}")), "revokeToken", "Revoke an API token: requests with it are refused at once. Role admin",
                tokens::revoke);
    }

    private void crud(String path, Kind kind, String noun) {
        String plural = DefinitionHandlers.section(kind);
        String title = Character.toUpperCase(noun.charAt(0)) + noun.substring(1);
        op(rest(path).get(), "list" + title + "s", "List " + plural, r -> definitions.list(kind, r));
        op(rest(path).post().consumes("application/json"), "create" + title, "Create a " + noun, r -> definitions.create(kind, r));
        op(named(rest(path).get("/{name}")), "get" + title, "Get a " + noun + " (secrets masked)", r -> definitions.get(kind, r));
        op(named(rest(path).put("/{name}").consumes("application/json")), "update" + title,
                "Replace a " + noun + "; a masked secret keeps its stored value", r -> definitions.update(kind, r));
        op(named(rest(path).delete("/{name}")), "delete" + title, "Delete a " + noun, r -> definitions.delete(kind, r));
    }

    private static RestDefinition named(RestDefinition verb) {
        return verb.param().name("name").type(RestParamType.path).endParam();
    }

    private void op(RestDefinition verb, String id, String description, Handler handler) {
        verb.id(id).description(description)
                .responseMessage().code(successCode(id)).message(successMessage(id)).endResponseMessage()
                .responseMessage().code(400).message("Invalid request: JSON {code, message, problems: [{path, value, fix}]}").endResponseMessage()
                .responseMessage().code(401).message("No valid API token (authentication on)").endResponseMessage()
                .responseMessage().code(403).message("The token's role is too low for this operation, or a browser page of another origin sent it")
                .endResponseMessage()
                .responseMessage().code(404).message("No such connector, source, destination, connection or job").endResponseMessage()
                .responseMessage().code(409).message("Conflicts with the current state (exists, in use, running, being reset or deleted)")
                .endResponseMessage()
                .responseMessage().code(413).message("The body is larger than caravan.http.max-body-bytes").endResponseMessage()
                .responseMessage().code(415).message("Content-Type is not JSON (YAML for /apply)").endResponseMessage()
                .responseMessage().code(503).message("The server is stopping (or a source is unavailable): try again later").endResponseMessage()
                .security(BEARER).security(BASIC)
                .to("direct:api-" + id);
        from("direct:api-" + id).routeId("api." + id).routeGroup("api").process(exchange -> respond(exchange, handler));
    }

    private static int successCode(String id) {
        if (id.startsWith("create")) {
            return 201;
        }
        if (id.startsWith("delete") || id.equals("revokeToken")) {
            return 204;
        }
        return id.equals("syncConnection") || id.equals("cancelJob") || id.equals("replayJob") ? 202 : 200;
    }

    private static String successMessage(String id) {
        return switch (successCode(id)) {
            case 201 -> id.equals("createToken") ? "Created; the body holds the token's secret, shown only this once"
                    : "Created; the body is the stored definition (secrets masked)";
            case 204 -> "Deleted";
            case 202 -> switch (id) {
                case "syncConnection" -> "Job started (200 with the finished job when wait=true and it ended in time)";
                case "replayJob" -> "Replay job started, or queued behind the worker limits or the connection's running job (its status says which)";
                default -> "Cancelling (status 'cancelling'), or, in a cluster, asked of the node running the job (status 'cancel requested', with its node)";
            };
            default -> "OK";
        };
    }

    private void respond(Exchange exchange, Handler handler) throws Exception {
        ApiResponse response;
        try {
            response = handler.handle(new ApiRequest(exchange, json));
        } catch (Exception e) {
            response = error(e);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        if (response.body() == null) {
            exchange.getMessage().setBody(null);
            return;
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, response.contentType());
        String body = response.body() instanceof String text && !"application/json".equals(response.contentType())
                ? text : json.writeValueAsString(response.body());
        // Secrets are masked by name where configurations are shown; this catches one of this server's echoed in a message.
        exchange.getMessage().setBody(secrets.mask(body));
    }

    private static ApiResponse error(Exception e) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (e instanceof ApiException api) {
            body.put("code", api.code());
            body.put("message", api.getMessage());
            return new ApiResponse(api.status(), body, "application/json");
        }
        if (e instanceof ConfigException config) {
            body.put("code", "INVALID");
            body.put("message", config.getMessage());
            body.put("problems", problems(config.problems()));
            return new ApiResponse(400, body, "application/json");
        }
        if (e instanceof SyncRefusedException refused && refused.reason() == SyncRefusedException.Reason.CONNECTION_BUSY) {
            // like a running job: the connection is being reset or deleted
            body.put("code", "CONFLICT");
            body.put("message", refused.getMessage());
            return new ApiResponse(409, body, "application/json");
        }
        ErrorType type = ErrorClassifier.classify(e);
        body.put("code", type.name());
        if (type == ErrorType.SYSTEM && !(e instanceof CaravanException)) {
            LOG.error("API request failed: {}", e.getMessage(), e);
            body.put("message", "internal error: " + ErrorClassifier.message(e) + " (details in the server log)");
            return new ApiResponse(500, body, "application/json");
        }
        body.put("message", ErrorClassifier.message(e));
        return new ApiResponse(type == ErrorType.TRANSIENT ? 503 : type == ErrorType.CONFIG ? 400 : 500, body, "application/json");
    }

    private static List<Map<String, Object>> problems(List<ConfigProblem> problems) {
        return problems.stream().map(p -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("path", p.path());
            view.put("value", p.value());
            view.put("fix", p.fix());
            return view;
        }).toList();
    }
}
