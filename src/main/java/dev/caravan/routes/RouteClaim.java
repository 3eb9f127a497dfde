package dev.caravan.routes;

import java.util.List;
import java.util.Objects;

/**
 * What one route of a route file would touch of Caravan: the connection and stream it reads ({@code from
 * caravan-source:<connection>/<stream>}, with the {@code source} it names), the Parquet outputs it writes
 * ({@code caravan-parquet:<destination>}), the connections it triggers ({@code caravan-sync:<connection>}), the
 * connection whose job events it receives ({@code from caravan-jobs:<connection>}; {@code *} for all, null when it does
 * not), and what is wrong with it regardless of the metadata store ({@code problems}, e.g. a dynamic
 * {@code caravan-parquet} URI, or an HTTP consumer outside {@code /hooks/}).
 * {@code connection} and {@code stream} are null for a route that is not a stream route.
 */
public record RouteClaim(String file, int line, String routeId, String connection, String stream, String source,
                         List<Output> outputs, List<String> syncs, String jobEvents, List<String> problems) {

    /** A {@code caravan-parquet:<destination>?namespace=..&prefix=..} endpoint. */
    public record Output(String destination, String namespace, String prefix) {
        public Output {
            Objects.requireNonNull(destination, "destination");
            namespace = namespace == null ? "" : namespace;
            prefix = prefix == null ? "" : prefix;
        }

        /** The directory of the stream's data files in its destination, as {@code dev.caravan.config.OutputPaths#rawPath}. */
        public String rawPath(String stream) {
            return "raw/" + (namespace.isEmpty() ? "" : namespace + "/") + prefix + stream;
        }
    }

    public RouteClaim {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(routeId, "routeId");
        outputs = List.copyOf(outputs);
        syncs = List.copyOf(syncs);
        problems = List.copyOf(problems);
    }

    public boolean isStreamRoute() {
        return connection != null;
    }

    /** {@code file:line route <id>}, for messages. */
    public String where() {
        return file + (line > 0 ? ":" + line : "") + " route " + routeId;
    }
}
