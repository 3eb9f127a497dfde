package dev.caravan.config;

import dev.caravan.spi.ConfigProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the streams of connections land, and the rule that one place has one writer. A stream writes
 * {@code raw/<namespace>/<prefix><stream>/} of its destination, with its state, publish journal and snapshot in
 * directories of the same name; the writer numbers files and keeps its journal per directory, so two connections writing
 * the same one would overwrite or delete each other's files.
 */
public final class OutputPaths {

    private OutputPaths() {
    }

    /** The directory of a stream's data files in its destination, e.g. {@code raw/demo/faker_users}. */
    public static String rawPath(ConnectionConfig connection, ConfiguredStream stream) {
        return "raw/" + (connection.namespace().isEmpty() ? "" : connection.namespace() + "/") + connection.prefix() + stream.name();
    }

    private record Output(String destination, String path) {
    }

    private record Writer(String connection, String stream, boolean changed) {
    }

    /**
     * One problem per stream of a {@code document} connection that would write where another connection writes: an earlier
     * connection of the document, or an {@code applied} one the document does not replace. Paths are those of the document
     * ({@code connections[i].streams[j].name}). Two connections that are both applied already and keep their outputs are
     * not reported, so that a setup stored before this rule can still be disabled or re-applied while it is being fixed.
     */
    public static List<ConfigProblem> conflicts(List<ConnectionConfig> document, List<ConnectionConfig> applied) {
        Set<String> replaced = new HashSet<>();
        document.forEach(c -> replaced.add(c.name()));
        Map<String, ConnectionConfig> appliedByName = new HashMap<>();
        Map<Output, Writer> writers = new HashMap<>();
        for (ConnectionConfig c : applied) {
            appliedByName.put(c.name(), c);
            if (!replaced.contains(c.name())) {
                c.streams().forEach(s -> writers.putIfAbsent(output(c, s), new Writer(c.name(), s.name(), false)));
            }
        }
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < document.size(); i++) {
            ConnectionConfig c = document.get(i);
            ConnectionConfig before = appliedByName.get(c.name());
            boolean changed = before == null || !outputs(before).equals(outputs(c));
            for (int j = 0; j < c.streams().size(); j++) {
                ConfiguredStream s = c.streams().get(j);
                Output output = output(c, s);
                Writer first = writers.putIfAbsent(output, new Writer(c.name(), s.name(), changed));
                if (first != null && (changed || first.changed())) {
                    problems.add(new ConfigProblem("connections[" + i + "].streams[" + j + "].name", s.name(), "connection '" + c.name()
                            + "' would write stream " + s.name() + " to " + output.path() + " in destination " + output.destination()
                            + ", where connection '" + first.connection() + "' writes its stream " + first.stream()
                            + "; they would share file numbering and the publish journal: give '" + c.name() + "' or '" + first.connection()
                            + "' another prefix or namespace"));
                }
            }
        }
        return problems;
    }

    private static Output output(ConnectionConfig connection, ConfiguredStream stream) {
        return new Output(connection.destination(), rawPath(connection, stream));
    }

    private static Set<Output> outputs(ConnectionConfig connection) {
        Set<Output> outputs = new HashSet<>();
        connection.streams().forEach(s -> outputs.add(output(connection, s)));
        return outputs;
    }
}
