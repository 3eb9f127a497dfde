import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The floor of bench/run.sh: the least code that copies the benchmark table {@code t(id, name, amount, updated_at)} from
 * a JDBC query into one snappy Parquet file — one thread, a streaming result set, parquet-java writing straight from the
 * ResultSet (no row objects, no metadata columns). Everything Caravan does beyond this is overhead to be measured.
 *
 * <p>Usage: {@code java -cp <classpath> FloorCopy <jdbc-url> <user> <query> <out.parquet>}; the query returns the four
 * columns in order. Prints {@code FLOOR rows=<n> ms=<copy time> bytes=<file size>}.
 */
public final class FloorCopy {
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message t {
              required int64 id;
              optional binary name (STRING);
              optional int64 amount (DECIMAL(12,2));
              optional int64 updated_at (TIMESTAMP(MICROS,false));
            }""");

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String query = args[2];
        Path out = Path.of(args[3]);
        Files.deleteIfExists(out);
        long started = System.nanoTime();
        long rows = 0;
        try (Connection connection = DriverManager.getConnection(url, user, "")) {
            connection.setAutoCommit(false); // pgjdbc streams through a cursor only outside autocommit
            try (PreparedStatement statement = connection.prepareStatement(query, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(10_000);
                try (ResultSet rs = statement.executeQuery();
                     ParquetWriter<ResultSet> writer = FloorParquet.writer(out, SCHEMA, FloorCopy::write)) {
                    while (rs.next()) {
                        writer.write(rs);
                        rows++;
                    }
                }
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("FLOOR rows=" + rows + " ms=" + ms + " bytes=" + Files.size(out));
    }

    /** Writes the current row of the result set. */
    private static void write(RecordConsumer consumer, ResultSet rs) {
        try {
            consumer.startField("id", 0);
            consumer.addLong(rs.getLong(1));
            consumer.endField("id", 0);
            String name = rs.getString(2);
            if (name != null) {
                consumer.startField("name", 1);
                consumer.addBinary(Binary.fromString(name));
                consumer.endField("name", 1);
            }
            BigDecimal amount = rs.getBigDecimal(3);
            if (amount != null) {
                consumer.startField("amount", 2);
                consumer.addLong(amount.setScale(2).unscaledValue().longValue());
                consumer.endField("amount", 2);
            }
            LocalDateTime updatedAt = rs.getObject(4, LocalDateTime.class);
            if (updatedAt != null) {
                consumer.startField("updated_at", 3);
                consumer.addLong(updatedAt.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + updatedAt.getNano() / 1_000);
                consumer.endField("updated_at", 3);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
