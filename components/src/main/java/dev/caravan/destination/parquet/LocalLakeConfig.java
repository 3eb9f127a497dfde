package dev.caravan.destination.parquet;

import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The validated configuration of the local Parquet destination: the lake root directory and the file format. */
public record LocalLakeConfig(Path root, ParquetFormat format) {

    public static final ConfigOption PATH = ConfigOption.string("path").asRequired()
            .withDescription("The lake root directory, absolute or relative to the server's working directory; created if missing. Data lands under raw/, bookkeeping under _airbyte_internal/.");

    /** Every option of the destination, in spec order. */
    public static final List<ConfigOption> OPTIONS = concat(PATH, ParquetFormat.OPTIONS);

    public LocalLakeConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(format, "format");
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("the lake root must be an absolute path: " + root);
        }
        root = root.normalize();
    }

    /** Reads a config validated by {@link LocalParquetDestination#spec()}; reports what the spec cannot check. */
    public static LocalLakeConfig from(ConnectorConfig config) {
        String raw = config.string(PATH.name());
        List<ConfigProblem> problems = new ArrayList<>();
        Path root = null;
        try {
            root = Path.of(raw).toAbsolutePath();
        } catch (InvalidPathException e) {
            problems.add(new ConfigProblem(PATH.name(), raw, "is not a valid path (" + e.getReason() + "); use a directory path such as /var/lib/caravan/lake"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new LocalLakeConfig(root, ParquetFormat.from(config));
    }

    private static List<ConfigOption> concat(ConfigOption first, List<ConfigOption> rest) {
        List<ConfigOption> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return List.copyOf(all);
    }
}
