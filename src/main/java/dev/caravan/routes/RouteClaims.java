package dev.caravan.routes;

import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.util.URISupport;

/** Reads the {@link RouteClaim}s of parsed route definitions, without starting anything. */
final class RouteClaims {
    static final String SOURCE = "caravan-source:";
    static final String PARQUET = "caravan-parquet:";
    static final String SYNC = "caravan-sync:";
    static final String JOBS = "caravan-jobs:";
    /** HTTP consumers a route file may start from; they serve under the API's servlet ({@code /api/v1}) behind its filters. */
    private static final List<String> HTTP_CONSUMERS = List.of("servlet:", "rest:", "platform-http:");
    /** The one place route files may serve: {@code /hooks/<name>}, one segment, so the API's access rules cover it. */
    private static final Pattern HOOK_PATH = Pattern.compile("/hooks/[A-Za-z0-9][A-Za-z0-9_-]*");

    private RouteClaims() {
    }

    static List<RouteClaim> of(String file, String content, List<RouteDefinition> definitions) {
        List<RouteClaim> claims = new ArrayList<>();
        for (RouteDefinition definition : definitions) {
            claims.add(of(file, content, definition));
        }
        return claims;
    }

    private static RouteClaim of(String file, String content, RouteDefinition definition) {
        List<String> problems = new ArrayList<>();
        String from = definition.getInput() == null ? "" : String.valueOf(definition.getInput().getEndpointUri());
        String connection = null;
        String stream = null;
        String source = null;
        if (from.startsWith(SOURCE)) {
            String path = path(from, SOURCE);
            int slash = path.indexOf('/');
            if (slash > 0 && slash < path.length() - 1) {
                connection = path.substring(0, slash);
                stream = path.substring(slash + 1);
            } else {
                problems.add("'" + from + "' does not name <connection>/<stream>; write caravan-source:<connection>/<stream>");
            }
            source = query(from, problems).get("source") instanceof String s ? s : null;
        }
        String jobEvents = from.startsWith(JOBS) ? path(from, JOBS) : null;
        httpProblem(from).ifPresent(problems::add);
        List<RouteClaim.Output> outputs = new ArrayList<>();
        List<String> syncs = new ArrayList<>();
        walk(definition.getOutputs(), outputs, syncs, problems);
        if (!outputs.isEmpty() && connection == null) {
            problems.add("writes to caravan-parquet: but does not start from caravan-source:; only stream routes may write Parquet");
        }
        int line = definition.getLineNumber() > 0 ? definition.getLineNumber() : lineOf(content, definition.getRouteId());
        return new RouteClaim(file, line, definition.getRouteId(), connection, stream, source, outputs, syncs, jobEvents, problems);
    }

    private static void walk(List<ProcessorDefinition<?>> steps, List<RouteClaim.Output> outputs, List<String> syncs, List<String> problems) {
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof ToDynamicDefinition dynamic) {
                if (mentionsCaravan(dynamic.getUri())) {
                    problems.add("sends to a computed URI '" + dynamic.getUri() + "'; write caravan-parquet: and caravan-sync: with a fixed "
                            + "URI (to:), so that where the route writes is known when it loads");
                }
            } else if (step instanceof EndpointRequiredDefinition endpoint) {
                String uri = String.valueOf(endpoint.getEndpointUri());
                if (uri.startsWith(PARQUET)) {
                    Map<String, Object> query = query(uri, problems);
                    outputs.add(new RouteClaim.Output(path(uri, PARQUET), text(query.get("namespace")), text(query.get("prefix"))));
                } else if (uri.startsWith(SYNC)) {
                    syncs.add(path(uri, SYNC));
                } else if (uri.startsWith(SOURCE) || uri.startsWith(JOBS)) {
                    problems.add("uses " + uri + " as a step; " + uri.substring(0, uri.indexOf(':') + 1) + " can only start a route (from:)");
                }
            } else if (step instanceof ExpressionNode node && node.getExpression() != null && mentionsCaravan(node.getExpression().getExpression())) {
                problems.add("computes an endpoint from '" + node.getExpression().getExpression() + "'; write caravan-parquet: and "
                        + "caravan-sync: with a fixed URI (to:), so that where the route writes is known when it loads");
            }
            if (step instanceof ChoiceDefinition choice) {
                choice.getWhenClauses().forEach(when -> walk(when.getOutputs(), outputs, syncs, problems));
                if (choice.getOtherwise() != null) {
                    walk(choice.getOtherwise().getOutputs(), outputs, syncs, problems);
                }
            } else {
                walk(step.getOutputs(), outputs, syncs, problems);
            }
        }
    }

    /**
     * Route files may take HTTP requests only at {@code servlet:/hooks/<name>}: served at {@code /api/v1/hooks/<name>}
     * behind the API's request guard and authentication, never in place of an API path.
     */
    private static Optional<String> httpProblem(String from) {
        String scheme = HTTP_CONSUMERS.stream().filter(from::startsWith).findFirst().orElse(null);
        if (scheme == null) {
            return Optional.empty();
        }
        String path = path(from, scheme);
        if (scheme.equals("servlet:") && HOOK_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        return Optional.of("takes HTTP requests at '" + from + "'; a route file may serve HTTP only as servlet:/hooks/<name> (letters, digits, "
                + "'-', '_'), which the server serves at POST /api/v1/hooks/<name> behind its authentication, e.g. servlet:/hooks/sync-orders");
    }

    private static boolean mentionsCaravan(String text) {
        return text != null && (text.contains(PARQUET) || text.contains(SYNC) || text.contains(SOURCE));
    }

    /** The part of {@code uri} after its scheme (and an optional {@code //}) and before its query. */
    private static String path(String uri, String scheme) {
        String rest = uri.substring(scheme.length());
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private static Map<String, Object> query(String uri, List<String> problems) {
        int at = uri.indexOf('?');
        if (at < 0) {
            return Map.of();
        }
        try {
            return URISupport.parseQuery(uri.substring(at + 1));
        } catch (URISyntaxException e) {
            problems.add("cannot read the options of '" + uri + "': " + e.getMessage());
            return Map.of();
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** The first line of the file that holds the route's id (1-based), or 0 when none does. */
    private static int lineOf(String content, String routeId) {
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int at = line.indexOf(routeId);
            if (at >= 0 && line.contains("id")) {
                int end = at + routeId.length();
                boolean whole = (at == 0 || !Character.isLetterOrDigit(line.charAt(at - 1)) && line.charAt(at - 1) != '.')
                        && (end == line.length() || !Character.isLetterOrDigit(line.charAt(end)) && line.charAt(end) != '.');
                if (whole) {
                    return i + 1;
                }
            }
        }
        return 0;
    }
}
