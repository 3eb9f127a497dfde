package dev.caravan.service;

import dev.caravan.camel.jobs.CaravanJobsEndpoint;
import dev.caravan.config.ConfiguredStream;
import dev.caravan.config.ConnectionConfig;
import dev.caravan.config.OutputPaths;
import dev.caravan.routes.RouteAdmission;
import dev.caravan.routes.RouteClaim;
import dev.caravan.routes.RouteGenerator;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.sync.OutputGuard;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Route files own nothing that isn't theirs. A route may read {@code caravan-source:<connection>/<stream>} and trigger
 * {@code caravan-sync:<connection>} and receive {@code caravan-jobs:<connection>} only for an applied connection; the routes of a connection with generated routes come
 * from its generated file only, and those of a {@code hand_written} connection read its source and write its destination
 * only; no two routes read one stream; and no route writes a place (resolved destination location + raw path, or a
 * directory inside or around it) that a stream of another connection, or a route of another file, writes. Also the
 * {@link OutputGuard}: at run time a stream writes only the outputs its route declared when it was admitted.
 */
public final class RouteOwnership implements RouteAdmission, OutputGuard {
    private final ConfigService configs;
    private final Supplier<Map<String, List<RouteClaim>>> loaded;
    private volatile Owners owners = new Owners(-1, Map.of(), List.of());

    /** The places the generated connections write, for one version of the store. */
    private record Owners(long version, Map<String, ConnectionConfig> connections, List<OutputPaths.Writer> writers) {
    }

    /** {@code loaded}: the claims of the route files loaded now, by file name. */
    public RouteOwnership(ConfigService configs, Supplier<Map<String, List<RouteClaim>>> loaded) {
        this.configs = configs;
        this.loaded = loaded;
    }

    @Override
    public List<String> refusals(List<RouteClaim> claims, Map<String, List<RouteClaim>> others) {
        Owners owners = owners();
        List<String> reasons = new ArrayList<>();
        for (RouteClaim claim : claims) {
            claim.problems().forEach(p -> reasons.add(claim.where() + " " + p));
            for (String target : claim.syncs()) {
                if (!owners.connections().containsKey(target)) {
                    reasons.add(claim.where() + " triggers caravan-sync:" + target + ", but connection '" + target
                            + "' does not exist; apply it first (caravan apply) or fix the URI");
                }
            }
            String events = claim.jobEvents();
            if (events != null && !events.equals(CaravanJobsEndpoint.ALL) && !owners.connections().containsKey(events)) {
                reasons.add(claim.where() + " receives the jobs of caravan-jobs:" + events + ", but connection '" + events
                        + "' does not exist; apply it first, fix the URI, or use caravan-jobs:* for every connection");
            }
            if (claim.isStreamRoute()) {
                streamRoute(claim, owners, others, reasons);
            }
        }
        return reasons;
    }

    private void streamRoute(RouteClaim claim, Owners owners, Map<String, List<RouteClaim>> others, List<String> reasons) {
        ConnectionConfig connection = owners.connections().get(claim.connection());
        if (connection == null) {
            reasons.add(claim.where() + " reads caravan-source:" + claim.connection() + "/" + claim.stream() + ", but connection '"
                    + claim.connection() + "' does not exist: apply a connection of that name first (with routes: hand_written for routes "
                    + "you write yourself), or fix the URI");
            return;
        }
        boolean generatedFile = claim.file().equals(RouteGenerator.fileName(connection.name()));
        if (connection.generatedRoutes() && !generatedFile) {
            reasons.add(claim.where() + " reads a stream of connection '" + connection.name() + "', whose routes Caravan generates into "
                    + RouteGenerator.fileName(connection.name()) + "; to write its routes yourself, apply the connection with routes: hand_written");
            return;
        }
        if (!connection.generatedRoutes()) {
            if (claim.source() != null && !claim.source().equals(connection.source())) {
                reasons.add(claim.where() + " reads source '" + claim.source() + "', but connection '" + connection.name() + "' reads source '"
                        + connection.source() + "'; use source=" + connection.source() + " or change the connection's source");
            }
            claim.outputs().stream().filter(o -> !o.destination().equals(connection.destination())).forEach(o -> reasons.add(claim.where()
                    + " writes destination '" + o.destination() + "', but connection '" + connection.name() + "' writes destination '"
                    + connection.destination() + "'; write caravan-parquet:" + connection.destination() + " or change the connection's destination"));
        }
        others.forEach((file, otherClaims) -> otherClaims.stream()
                .filter(o -> claim.connection().equals(o.connection()) && claim.stream().equals(o.stream())).findFirst()
                .ifPresent(o -> reasons.add(claim.where() + " reads stream " + claim.stream() + " of connection '" + claim.connection()
                        + "', which " + o.where() + " reads already; a stream has one route: remove one of them")));
        boolean handWritten = !connection.generatedRoutes();
        for (RouteClaim.Output target : claim.outputs()) {
            OutputPaths.Output output = output(target, claim.stream());
            if (handWritten) {
                owners.writers().stream()
                        .filter(w -> !(w.connection().equals(claim.connection()) && w.stream().equals(claim.stream())) && w.output().overlaps(output))
                        .findFirst().ifPresent(w -> reasons.add(conflict(claim, output, w)));
            }
            writersOf(others).stream().filter(w -> w.output().overlaps(output)).findFirst().ifPresent(w -> reasons.add(conflict(claim, output, w)));
        }
    }

    private static String conflict(RouteClaim claim, OutputPaths.Output output, OutputPaths.Writer owner) {
        return claim.where() + " would write " + output + ", where " + owner.description() + " (connection '" + owner.connection()
                + "', stream " + owner.stream() + ") writes " + owner.output() + "; write another namespace or prefix";
    }

    private OutputPaths.Output output(RouteClaim.Output target, String stream) {
        String location = configs.location(target.destination());
        return new OutputPaths.Output(target.destination(), location == null ? "destination:" + target.destination() : location, target.rawPath(stream));
    }

    /** The streams hand-written route files write (generated files write what their connections say, checked when applied). */
    public List<OutputPaths.Writer> handWrittenWriters() {
        return writersOf(loaded.get());
    }

    private List<OutputPaths.Writer> writersOf(Map<String, List<RouteClaim>> files) {
        Owners owners = owners();
        List<OutputPaths.Writer> writers = new ArrayList<>();
        files.forEach((file, claims) -> claims.forEach(claim -> {
            ConnectionConfig connection = claim.isStreamRoute() ? owners.connections().get(claim.connection()) : null;
            boolean generated = connection != null && connection.generatedRoutes() && file.equals(RouteGenerator.fileName(connection.name()));
            if (claim.isStreamRoute() && !generated) {
                claim.outputs().forEach(o -> writers.add(new OutputPaths.Writer(claim.where(), claim.connection(), claim.stream(), output(o, claim.stream()))));
            }
        }));
        return writers;
    }

    /** The stored connections, as of the store's current version (read again only when it changed). */
    public Collection<ConnectionConfig> connections() {
        return owners().connections().values();
    }

    private Owners owners() {
        Owners current = owners;
        long version = configs.version();
        if (current.version() == version) {
            return current;
        }
        Map<String, ConnectionConfig> connections = new HashMap<>();
        List<OutputPaths.Writer> writers = new ArrayList<>();
        for (ConnectionConfig connection : configs.current().connections()) {
            connections.put(connection.name(), connection);
            for (ConfiguredStream stream : connection.streams()) {
                writers.add(new OutputPaths.Writer("connection '" + connection.name() + "'", connection.name(), stream.name(),
                        OutputPaths.output(connection, stream, configs::location)));
            }
        }
        Owners fresh = new Owners(version, Map.copyOf(connections), List.copyOf(writers));
        owners = fresh;
        return fresh;
    }

    /** The stream routes of a snapshot of the loaded claims, by connection and stream (rebuilt when the snapshot changes). */
    private record StreamIndex(Map<String, List<RouteClaim>> snapshot, Map<String, List<RouteClaim>> byStream) {
        static StreamIndex of(Map<String, List<RouteClaim>> snapshot) {
            Map<String, List<RouteClaim>> byStream = new HashMap<>();
            snapshot.values().forEach(claims -> claims.stream().filter(RouteClaim::isStreamRoute)
                    .forEach(c -> byStream.computeIfAbsent(key(c.connection(), c.stream()), k -> new ArrayList<>()).add(c)));
            return new StreamIndex(snapshot, byStream);
        }

        static String key(String connection, String stream) {
            return connection + "/" + stream;
        }
    }

    private volatile StreamIndex streamIndex = StreamIndex.of(Map.of());

    /** Once per stream and job (when its writer opens): a hash lookup, whatever the number of route files. */
    @Override
    public void check(String connection, String stream, String destination, String namespace, String prefix) {
        Map<String, List<RouteClaim>> snapshot = loaded.get();
        StreamIndex index = streamIndex;
        if (index.snapshot() != snapshot) {
            index = StreamIndex.of(snapshot);
            streamIndex = index;
        }
        RouteClaim.Output wanted = new RouteClaim.Output(destination, namespace, prefix);
        Optional<RouteClaim> admitted = index.byStream().getOrDefault(StreamIndex.key(connection, stream), List.of()).stream()
                .filter(c -> c.outputs().contains(wanted)).findFirst();
        if (admitted.isEmpty()) {
            throw new CaravanException(ErrorType.CONFIG, "Stream " + stream + " of connection '" + connection + "' tried to write caravan-parquet:"
                    + destination + " (namespace '" + Objects.toString(namespace, "") + "', prefix '" + Objects.toString(prefix, "")
                    + "'), which its route did not declare when its file was loaded; write it with a fixed to: URI in the stream's route");
        }
    }
}
