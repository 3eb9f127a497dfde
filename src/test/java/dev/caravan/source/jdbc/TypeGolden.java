package dev.caravan.source.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.testing.ParquetQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A type fixture for golden files: one column per database type with its test values (one row per value), the source's
 * own text of every value, and the value read back from Parquet by DuckDB, with the change recorded for it.
 */
public final class TypeGolden {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A column of type {@code type} holding {@code literals} (SQL literals, one per row; missing rows are NULL). */
    public record Column(String name, String type, List<String> literals) {
        public Column(String name, String type, String... literals) {
            this(name, type, List.of(literals));
        }
    }

    private final List<Column> columns;

    public TypeGolden(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    public int rows() {
        return columns.stream().mapToInt(c -> c.literals().size()).max().orElse(0);
    }

    public List<String> ddl(String table) {
        List<String> sql = new ArrayList<>();
        StringBuilder create = new StringBuilder("CREATE TABLE " + table + " (id int PRIMARY KEY");
        columns.forEach(c -> create.append(", ").append(c.name()).append(' ').append(c.type()));
        sql.add(create.append(')').toString());
        for (int row = 0; row < rows(); row++) {
            StringBuilder insert = new StringBuilder("INSERT INTO " + table + " VALUES (" + (row + 1));
            for (Column c : columns) {
                insert.append(", ").append(row < c.literals().size() ? c.literals().get(row) : "NULL");
            }
            sql.add(insert.append(')').toString());
        }
        return sql;
    }

    /** Every value as the source renders it ({@code sourceText} turns a column name into the SQL of its text). */
    public Map<String, String> sourceTexts(Connection connection, String table, Function<Column, String> sourceText) throws SQLException {
        Map<String, String> texts = new HashMap<>();
        StringBuilder select = new StringBuilder("SELECT id");
        columns.forEach(c -> select.append(", ").append(sourceText.apply(c)));
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(select + " FROM " + table)) {
            while (rs.next()) {
                for (int i = 0; i < columns.size(); i++) {
                    texts.put(columns.get(i).name() + "#" + rs.getInt(1), rs.getString(i + 2));
                }
            }
        }
        return texts;
    }

    /** The golden text: per column its database and Parquet type, then per row the source's text, DuckDB's text and the change. */
    public String render(ParquetQuery duck, Path dir, Map<String, String> sourceTexts) throws Exception {
        Map<String, String> parquetTypes = duck.columnTypes(dir);
        StringBuilder select = new StringBuilder("SELECT id, _airbyte_meta AS meta");
        for (Column c : columns) {
            String type = parquetTypes.get(c.name());
            String expr = switch (type) {
                case "BLOB" -> "hex(" + c.name() + ")";
                case "TIMESTAMP WITH TIME ZONE" -> "CAST(timezone('UTC', " + c.name() + ") AS VARCHAR) || 'Z'";
                default -> "CAST(" + c.name() + " AS VARCHAR)";
            };
            select.append(", ").append(expr).append(" AS ").append(c.name());
        }
        Map<Integer, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> row : duck.rows(select + " FROM " + ParquetQuery.files(dir) + " ORDER BY id")) {
            rows.put(((Number) row.get("id")).intValue(), row);
        }
        StringBuilder out = new StringBuilder();
        for (Column c : columns) {
            out.append(c.type()).append(" -> ").append(parquetTypes.get(c.name())).append('\n');
            for (int id = 1; id <= c.literals().size(); id++) {
                Map<String, Object> row = rows.get(id);
                TreeSet<String> changes = new TreeSet<>();
                for (JsonNode change : JSON.readTree((String) row.get("meta")).get("changes")) {
                    String field = change.get("field").asText();
                    if (field.equals(c.name()) || field.startsWith(c.name() + "[")) {
                        changes.add(field.substring(c.name().length()) + " " + change.get("change").asText() + " " + change.get("reason").asText());
                    }
                }
                out.append("  source: ").append(sourceTexts.get(c.name() + "#" + id)).append('\n');
                out.append("  parquet: ").append(row.get(c.name()));
                if (!changes.isEmpty()) {
                    out.append("  change: ").append(String.join(", ", changes).strip());
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
