package dev.caravan.server;

import dev.caravan.catalog.ConnectorCatalog;
import dev.caravan.config.CaravanConfig;
import dev.caravan.config.ConfigParser;
import dev.caravan.config.ConfigWriter;
import dev.caravan.config.ConfiguredStream;
import dev.caravan.config.ConnectionConfig;
import dev.caravan.config.DestinationConfig;
import dev.caravan.config.SourceConfig;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.SyncMode;
import java.util.EnumSet;
import dev.caravan.state.DefinitionRepository;
import dev.caravan.state.StoredDefinition;
import dev.caravan.state.StoredDefinition.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Configs-as-code in the metadata store: validates a document completely (syntax, connector configs, streams against
 * what the source discovers) before storing any of its sources, destinations and connections.
 */
public final class ConfigService {
    private final ConnectorCatalog catalog;
    private final DefinitionRepository definitions;
    private final ConfigParser parser;

    public ConfigService(ConnectorCatalog catalog, DefinitionRepository definitions) {
        this.catalog = catalog;
        this.definitions = definitions;
        this.parser = new ConfigParser(catalog::sourceSpec, catalog::destinationSpec);
    }

    /** Validates the document completely and stores its definitions; returns what it holds. */
    public CaravanConfig store(String yaml, String origin) {
        Set<String> knownSources = names(Kind.SOURCE);
        Set<String> knownDestinations = names(Kind.DESTINATION);
        CaravanConfig config = parser.parse(yaml, origin, knownSources, knownDestinations);
        checkStreams(config);
        for (SourceConfig source : config.sources()) {
            definitions.save(Kind.SOURCE, source.name(), source.connector(), single(new CaravanConfig(List.of(source), List.of(), List.of())));
        }
        for (DestinationConfig destination : config.destinations()) {
            definitions.save(Kind.DESTINATION, destination.name(), destination.connector(),
                    single(new CaravanConfig(List.of(), List.of(destination), List.of())));
        }
        for (ConnectionConfig connection : config.connections()) {
            definitions.save(Kind.CONNECTION, connection.name(), null, single(new CaravanConfig(List.of(), List.of(), List.of(connection))));
        }
        return config;
    }

    public Optional<SourceConfig> source(String name) {
        return definitions.find(Kind.SOURCE, name).flatMap(d -> stored(d).source(name));
    }

    public Optional<DestinationConfig> destination(String name) {
        return definitions.find(Kind.DESTINATION, name).flatMap(d -> stored(d).destination(name));
    }

    public Optional<ConnectionConfig> connection(String name) {
        return definitions.find(Kind.CONNECTION, name).flatMap(d -> stored(d).connection(name));
    }

    /** Everything applied so far, secrets included (for internal use; export masks them). */
    public CaravanConfig current() {
        List<SourceConfig> sources = definitions.list(Kind.SOURCE).stream().map(d -> stored(d).sources().get(0)).toList();
        List<DestinationConfig> destinations = definitions.list(Kind.DESTINATION).stream().map(d -> stored(d).destinations().get(0)).toList();
        List<ConnectionConfig> connections = definitions.list(Kind.CONNECTION).stream().map(d -> stored(d).connections().get(0)).toList();
        return new CaravanConfig(sources, destinations, connections);
    }

    /** Validated connector config of a source, its problems named under {@code sources.<name>.config.}. */
    ConnectorConfig sourceConfig(SourceConfig source) {
        return catalog.sourceSpec(source.connector()).orElseThrow(() -> unknownConnector("sources." + source.name(), source.connector()))
                .validate(source.config(), "sources." + source.name() + ".config.");
    }

    ConnectorConfig destinationConfig(DestinationConfig destination) {
        return catalog.destinationSpec(destination.connector())
                .orElseThrow(() -> unknownConnector("destinations." + destination.name(), destination.connector()))
                .validate(destination.config(), "destinations." + destination.name() + ".config.");
    }

    private ConfigException unknownConnector(String path, String connector) {
        return new ConfigException(new ConfigProblem(path + ".connector", connector, "no such connector in the catalog"));
    }

    /** Every configured stream must exist in what its source discovers, with its fields, cursor and key. */
    private void checkStreams(CaravanConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Catalog> discovered = new HashMap<>();
        for (int c = 0; c < config.connections().size(); c++) {
            ConnectionConfig connection = config.connections().get(c);
            String at = "connections[" + c + "]";
            SourceConfig source = config.source(connection.source()).or(() -> source(connection.source())).orElse(null);
            if (source == null) {
                continue; // reported by the parser
            }
            Catalog catalogOfSource;
            try {
                catalogOfSource = discovered.computeIfAbsent(source.name(), n -> discover(source));
            } catch (RuntimeException e) {
                problems.add(new ConfigProblem(at + ".source", source.name(), "discover failed: " + e.getMessage()));
                continue;
            }
            Set<SyncMode> writable = config.destination(connection.destination()).or(() -> destination(connection.destination()))
                    .flatMap(d -> catalog.destination(d.connector())).map(DestinationConnector::supportedSyncModes).orElse(EnumSet.allOf(SyncMode.class));
            for (int s = 0; s < connection.streams().size(); s++) {
                ConfiguredStream stream = connection.streams().get(s);
                checkStream(stream, catalogOfSource, at + ".streams[" + s + "]", problems);
                if (!writable.contains(stream.syncMode())) {
                    problems.add(new ConfigProblem(at + ".streams[" + s + "].sync_mode", stream.syncMode().configName(), "destination "
                            + connection.destination() + " does not support it yet; use one of "
                            + writable.stream().map(SyncMode::configName).collect(Collectors.joining(", "))));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private Catalog discover(SourceConfig source) {
        SourceConnector connector = catalog.source(source.connector()).orElseThrow(() -> unknownConnector("sources." + source.name(), source.connector()));
        return connector.discover(sourceConfig(source));
    }

    private static void checkStream(ConfiguredStream stream, Catalog catalog, String at, List<ConfigProblem> problems) {
        Optional<CatalogStream> found = catalog.stream(stream.name());
        if (found.isEmpty()) {
            problems.add(new ConfigProblem(at + ".name", stream.name(), "the source has no such stream; it has " + String.join(", ", catalog.streamNames())));
            return;
        }
        CatalogStream offered = found.get();
        List<String> known = offered.schema().names();
        for (String field : stream.fields()) {
            if (!known.contains(field)) {
                problems.add(new ConfigProblem(at + ".fields", field, "no such field in stream " + stream.name() + "; fields are " + String.join(", ", known)));
            }
        }
        for (String key : stream.primaryKey()) {
            if (!known.contains(key)) {
                problems.add(new ConfigProblem(at + ".primary_key", key, "no such field in stream " + stream.name() + "; fields are " + String.join(", ", known)));
            }
        }
        if (stream.cursorField() != null && stream.syncMode().incremental() && !offered.cursorCandidates().contains(stream.cursorField())) {
            problems.add(new ConfigProblem(at + ".cursor_field", stream.cursorField(),
                    "cannot be used as cursor of stream " + stream.name() + "; use one of " + String.join(", ", offered.cursorCandidates())));
        }
        if (!offered.supportedSyncModes().contains(stream.syncMode())) {
            problems.add(new ConfigProblem(at + ".sync_mode", stream.syncMode().configName(), "stream " + stream.name() + " supports "
                    + offered.supportedSyncModes().stream().map(m -> m.configName()).collect(Collectors.joining(", "))));
        }
    }

    private Set<String> names(Kind kind) {
        return definitions.list(kind).stream().map(StoredDefinition::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private String single(CaravanConfig config) {
        return ConfigWriter.write(config);
    }

    private CaravanConfig stored(StoredDefinition definition) {
        return parser.parse(definition.body(), "stored " + definition.kind().name().toLowerCase() + " " + definition.name(),
                names(Kind.SOURCE), names(Kind.DESTINATION));
    }
}
