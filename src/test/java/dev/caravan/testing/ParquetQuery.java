package dev.caravan.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads Parquet files back with DuckDB's JDBC driver: an independent reader, not Caravan's own code. */
public final class ParquetQuery implements AutoCloseable {
    private final Connection connection;

    public ParquetQuery() {
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code read_parquet('<dir>/**}{@code /*.parquet')} for use in SQL. */
    public static String files(Path directory) {
        return "read_parquet('" + directory.toAbsolutePath() + "/**/*.parquet')";
    }

    /**
     * The directory of the current generation of overwrite stream {@code stream} in {@code namespace} of the lake at
     * {@code lake}, as {@code current.json} names it (what the docs tell DuckDB users to read).
     */
    public static Path currentGeneration(Path lake, String namespace, String stream) {
        Path pointer = generationPointer(lake, namespace, stream);
        try {
            long generation = new com.fasterxml.jackson.databind.ObjectMapper().readTree(pointer.toFile()).get("generation").asLong();
            return lake.resolve("raw").resolve(namespace).resolve(stream).resolve("generation=" + generation);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + pointer, e);
        }
    }

    /** What a reader of the stream should read: the current generation of an overwrite stream, else its raw directory. */
    public static Path streamDirectory(Path lake, String namespace, String stream) {
        return java.nio.file.Files.exists(generationPointer(lake, namespace, stream)) ? currentGeneration(lake, namespace, stream)
                : lake.resolve("raw").resolve(namespace).resolve(stream);
    }

    private static Path generationPointer(Path lake, String namespace, String stream) {
        return lake.resolve("_airbyte_internal/state").resolve(namespace).resolve(stream).resolve("current.json");
    }

    public List<Map<String, Object>> rows(String sql) {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), value(rs.getObject(i)));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A value as read, except JSON (a DuckDB JsonNode for Parquet's JSON logical type): its text, as written. */
    public static Object value(Object read) {
        return read instanceof org.duckdb.JsonNode json ? json.toString() : read;
    }

    public long count(String sql) {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    /** Column name → DuckDB type of the files, e.g. {@code balance → DECIMAL(12,2)}. */
    public Map<String, String> columnTypes(Path directory) {
        Map<String, String> types = new LinkedHashMap<>();
        for (Map<String, Object> row : rows("DESCRIBE SELECT * FROM " + files(directory))) {
            types.put((String) row.get("column_name"), (String) row.get("column_type"));
        }
        return types;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
