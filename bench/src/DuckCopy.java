import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * DuckDB's own copy of the same file into snappy Parquet, for bench/files.sh: {@code COPY (SELECT * FROM read_csv/read_json)
 * TO ... (FORMAT parquet, COMPRESSION snappy)} through its JDBC driver (the engine is native; the JVM only starts it).
 * DuckDB uses every core. Usage: {@code java -cp <duckdb jar>:. DuckCopy csv|jsonl <in> <out.parquet> [threads]}.
 * Prints {@code DUCKDB rows=<n> ms=<copy time>}.
 */
public final class DuckCopy {
    public static void main(String[] args) throws Exception {
        String read = args[0].equals("csv") ? "read_csv('" + args[1] + "', header = true)"
                : "read_json('" + args[1] + "', format = 'newline_delimited')";
        Path out = Path.of(args[2]);
        Files.deleteIfExists(out);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            if (args.length > 3) {
                st.execute("SET threads = " + Integer.parseInt(args[3]));
            }
            long started = System.nanoTime();
            st.execute("COPY (SELECT * FROM " + read + ") TO '" + out + "' (FORMAT parquet, COMPRESSION snappy)");
            long ms = (System.nanoTime() - started) / 1_000_000;
            try (var rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + out + "')")) {
                rs.next();
                System.out.println("DUCKDB rows=" + rs.getLong(1) + " ms=" + ms);
            }
        }
    }
}
