package dev.caravan.acceptance;

import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.testing.ParquetQuery;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a stream of a Parquet lake on disk the way the docs tell a DuckDB user to: every data file below its raw
 * directory, or, for an overwrite stream (it has {@code current.json}), the files of the generation the pointer names.
 */
final class LakeReader {
    private LakeReader() {
    }

    static List<List<String>> rows(Path lake, String namespace, String stream) {
        Path directory = ParquetQuery.streamDirectory(lake, namespace, stream);
        Set<String> files = JdbcTesting.parquetFiles(directory);
        if (files.isEmpty()) {
            return List.of();
        }
        String list = files.stream().map(f -> "'" + directory.resolve(f).toAbsolutePath() + "'").collect(Collectors.joining(", ", "[", "]"));
        try (ParquetQuery duck = new ParquetQuery()) {
            List<Map<String, Object>> read = duck.rows("SELECT id, name FROM read_parquet(" + list + ")");
            return read.stream().map(row -> List.of(Values.text(row.get("id")), Values.text(row.get("name")))).toList();
        }
    }
}
