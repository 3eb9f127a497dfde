package dev.caravan.config;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One connections-as-code document. Names are unique within each list. A connection may name a source or destination
 * declared elsewhere (another file, the server), so references are checked by {@link ConfigParser}, not here.
 */
public record CaravanConfig(List<SourceConfig> sources, List<DestinationConfig> destinations, List<ConnectionConfig> connections) {

    public static final CaravanConfig EMPTY = new CaravanConfig(List.of(), List.of(), List.of());

    public CaravanConfig {
        sources = List.copyOf(sources);
        destinations = List.copyOf(destinations);
        connections = List.copyOf(connections);
        requireUnique(sources, SourceConfig::name, "source");
        requireUnique(destinations, DestinationConfig::name, "destination");
        requireUnique(connections, ConnectionConfig::name, "connection");
    }

    public Optional<SourceConfig> source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<DestinationConfig> destination(String name) {
        return destinations.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public Optional<ConnectionConfig> connection(String name) {
        return connections.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static <T> void requireUnique(List<T> items, Function<T, String> name, String what) {
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            if (!seen.add(name.apply(item))) {
                throw new IllegalArgumentException("two " + what + "s are named " + name.apply(item));
            }
        }
    }
}
