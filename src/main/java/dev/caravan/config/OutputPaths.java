package dev.caravan.config;

import dev.caravan.spi.ConfigProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where the streams of connections land, and the rule that one place has one writer. A stream writes
 * {@code raw/<namespace>/<prefix><stream>/} of its destination, with its state, publish journal and snapshot in
 * directories of the same name; the writer numbers files and keeps its journal per directory, so two connections writing
 * the same one would overwrite or delete each other's files, and a reader of one stream's directory ({@code **}
 * globs) would read the files of a stream written inside it. Places are compared resolved: the destination's location
 * (an absolute directory, or S3 store + bucket + prefix, see {@code DestinationConnector#location}) followed by the raw
 * path, so two destination names for one directory are one place; a directory inside another counts as the same place.
 */
public final class OutputPaths {

    private OutputPaths() {
    }

    /** The directory of a stream's data files in its destination, e.g. {@code raw/demo/faker_users}. */
    public static String rawPath(ConnectionConfig connection, ConfiguredStream stream) {
        return "raw/" + (connection.namespace().isEmpty() ? "" : connection.namespace() + "/") + connection.prefix() + stream.name();
    }

    /** Where a stream writes: its destination by name, the destination's resolved location, and the raw path inside it. */
    public record Output(String destination, String location, String rawPath) {
        /** The resolved place, e.g. {@code file:///data/lake/raw/demo/users}. */
        public String place() {
            return location + "/" + rawPath;
        }

        /** The same directory, or one inside the other. */
        public boolean overlaps(Output other) {
            String a = place();
            String b = other.place();
            return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
        }

        @Override
        public String toString() {
            return rawPath + " in destination " + destination + " (" + location + ")";
        }
    }

    /** A stream that writes somewhere outside the connections being checked, e.g. a route of a hand-written route file. */
    public record Writer(String description, String connection, String stream, Output output) {
    }

    /**
     * Where {@code stream} of {@code connection} writes, resolving its destination's location with {@code locations}
     * (destination name → location; null when the destination is unknown, then compared by name).
     */
    public static Output output(ConnectionConfig connection, ConfiguredStream stream, Function<String, String> locations) {
        String location = locations.apply(connection.destination());
        return new Output(connection.destination(), location == null ? "destination:" + connection.destination() : location, rawPath(connection, stream));
    }

    /**
     * One problem per stream of a {@code document} connection that would write where another writer writes: an earlier
     * connection of the document, an {@code applied} one the document does not replace, or one of {@code others} (routes of
     * hand-written files) of another connection. Paths are those of the document ({@code connections[i].streams[j].name}).
     * Two connections that are both applied already and keep their outputs are not reported, so that a setup stored before
     * this rule can still be disabled or re-applied while it is being fixed.
     */
    public static List<ConfigProblem> conflicts(List<ConnectionConfig> document, List<ConnectionConfig> applied, Function<String, String> locations,
                                                List<Writer> others) {
        Set<String> replaced = new HashSet<>();
        document.forEach(c -> replaced.add(c.name()));
        Map<String, ConnectionConfig> appliedByName = new HashMap<>();
        // place → first writer there (connections only; route writers are checked one by one)
        TreeMap<String, Claim> claims = new TreeMap<>();
        for (ConnectionConfig c : applied) {
            appliedByName.put(c.name(), c);
            if (!replaced.contains(c.name())) {
                c.streams().forEach(s -> claims.putIfAbsent(output(c, s, locations).place(),
                        new Claim("connection '" + c.name() + "' writes its stream " + s.name(), c.name(), output(c, s, locations), false)));
            }
        }
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < document.size(); i++) {
            ConnectionConfig c = document.get(i);
            ConnectionConfig before = appliedByName.get(c.name());
            boolean changed = before == null || !places(before, locations).equals(places(c, locations));
            for (int j = 0; j < c.streams().size(); j++) {
                ConfiguredStream s = c.streams().get(j);
                Output output = output(c, s, locations);
                Claim first = overlapping(claims, output);
                String at = "connections[" + i + "].streams[" + j + "].name";
                if (first != null && (changed || first.changed())) {
                    problems.add(problem(at, c, s, output, first.description(), first.connection()));
                } else {
                    for (Writer other : others) {
                        if (!other.connection().equals(c.name()) && other.output().overlaps(output)) {
                            problems.add(problem(at, c, s, output, other.description() + " (connection '" + other.connection() + "', stream "
                                    + other.stream() + ") writes " + other.output(), other.connection()));
                            break;
                        }
                    }
                }
                claims.putIfAbsent(output.place(), new Claim("connection '" + c.name() + "' writes its stream " + s.name(), c.name(), output, changed));
            }
        }
        return problems;
    }

    private record Claim(String description, String connection, Output output, boolean changed) {
    }

    private static ConfigProblem problem(String at, ConnectionConfig c, ConfiguredStream s, Output output, String owner, String ownerConnection) {
        return new ConfigProblem(at, s.name(), "connection '" + c.name() + "' would write stream " + s.name() + " to " + output
                + ", where " + owner + "; they would share file numbering and the publish journal: give '" + c.name() + "' or '"
                + ownerConnection + "' another prefix or namespace");
    }

    /** A claim of the same place or of a directory inside or around it; null when there is none. */
    private static Claim overlapping(TreeMap<String, Claim> claims, Output output) {
        String place = output.place();
        Claim same = claims.get(place);
        if (same != null) {
            return same;
        }
        for (int slash = place.lastIndexOf('/'); slash > 0; slash = place.lastIndexOf('/', slash - 1)) {
            Claim around = claims.get(place.substring(0, slash));
            if (around != null) {
                return around;
            }
        }
        Map.Entry<String, Claim> inside = claims.ceilingEntry(place + "/");
        return inside != null && inside.getKey().startsWith(place + "/") ? inside.getValue() : null;
    }

    private static Set<String> places(ConnectionConfig connection, Function<String, String> locations) {
        Set<String> places = new HashSet<>();
        connection.streams().forEach(s -> places.add(output(connection, s, locations).place()));
        return places;
    }
}
