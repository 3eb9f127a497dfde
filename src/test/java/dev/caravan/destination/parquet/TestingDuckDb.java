package dev.caravan.destination.parquet;

import java.nio.file.Path;
import dev.caravan.testing.ParquetQuery;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory DuckDB that reads Parquet files back independently of parquet-java. */
final class TestingDuckDb implements AutoCloseable {
    private final Connection connection;

    TestingDuckDb() throws SQLException {
        this.connection = DriverManager.getConnection("jdbc:duckdb:");
    }

    /** {@code read_parquet('<glob>')} for all data files under {@code dir}. */
    static String parquet(Path dir) {
        return "read_parquet('" + dir.toString().replace("'", "''") + "/**/*.parquet')";
    }

    List<List<Object>> rows(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(ParquetQuery.value(rs.getObject(i)));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    Object single(String sql) throws SQLException {
        List<List<Object>> rows = rows(sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + " but got " + rows);
        }
        return rows.get(0).get(0);
    }

    long count(String source) throws SQLException {
        return ((Number) single("select count(*) from " + source)).longValue();
    }

    /** Column name → DuckDB type, in file order. */
    Map<String, String> columnTypes(String source) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        for (List<Object> row : rows("describe select * from " + source)) {
            types.put((String) row.get(0), (String) row.get(1));
        }
        return types;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
