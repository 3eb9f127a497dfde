package dev.caravan.acceptance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.testing.ParquetQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a stream of a Parquet lake on disk the way the docs tell a DuckDB user to: every data file below its raw
 * directory, or, for an overwrite stream (it has {@code current.json}), the files of the generation the pointer names.
 */
final class LakeReader {
    private LakeReader() {
    }

    static List<List<String>> rows(Path lake, String namespace, String stream) throws IOException {
        Path directory = lake.resolve("raw").resolve(namespace).resolve(stream);
        Path pointer = lake.resolve("_airbyte_internal/state").resolve(namespace).resolve(stream).resolve("current.json");
        if (Files.exists(pointer)) {
            directory = directory.resolve("generation=" + new ObjectMapper().readTree(pointer.toFile()).get("generation").asLong());
        }
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(f -> f.toString().endsWith(".parquet")).toList();
        }
        if (files.isEmpty()) {
            return List.of();
        }
        String list = files.stream().map(f -> "'" + f.toAbsolutePath() + "'").collect(Collectors.joining(", ", "[", "]"));
        try (ParquetQuery duck = new ParquetQuery()) {
            List<Map<String, Object>> read = duck.rows("SELECT id, name FROM read_parquet(" + list + ")");
            return read.stream().map(row -> List.of(Values.text(row.get("id")), Values.text(row.get("name")))).toList();
        }
    }
}
