import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Map;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.postgresql.jdbc.PgResultSetMetaData;
import org.postgresql.util.ByteConverter;
import org.xerial.snappy.Snappy;

/**
 * The floor of bench/run.sh: the fastest one-thread copy we know how to write of the benchmark table
 * {@code t(id, name, amount, updated_at)} from a JDBC query into one snappy Parquet file — a streaming result set whose
 * values go straight into parquet-java's column writers (no row objects, no record shredding, no metadata columns). On
 * PostgreSQL it takes the raw bytes the driver received where it can: text as UTF-8 bytes (never a String) and binary
 * timestamps as microseconds (never a calendar object). Everything Caravan does beyond this is overhead to be measured.
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
    private static final long ROW_GROUP_BYTES = 128L << 20;
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

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
                try (ResultSet rs = statement.executeQuery(); Columns file = new Columns(out)) {
                    boolean postgres = url.startsWith("jdbc:postgresql:");
                    boolean binaryTimestamps = postgres && rs.getMetaData().unwrap(PgResultSetMetaData.class).getFormat(4) == 1;
                    while (rs.next()) {
                        // the writers of the open row group
                        ColumnWriter id = file.writers[0];
                        ColumnWriter name = file.writers[1];
                        ColumnWriter amount = file.writers[2];
                        ColumnWriter updatedAt = file.writers[3];
                        id.write(rs.getLong(1), 0, 0);
                        // PostgreSQL sends text in the client encoding, UTF-8: its bytes are the Parquet value as they are
                        byte[] text = postgres ? rs.getBytes(2) : null;
                        String string = postgres ? null : rs.getString(2);
                        if (text != null) {
                            name.write(Binary.fromConstantByteArray(text), 0, 1);
                        } else if (string != null) {
                            name.write(Binary.fromString(string), 0, 1);
                        } else {
                            name.writeNull(0, 0);
                        }
                        BigDecimal decimal = rs.getBigDecimal(3);
                        if (decimal != null) {
                            amount.write(decimal.setScale(2).scaleByPowerOfTen(2).longValueExact(), 0, 1);
                        } else {
                            amount.writeNull(0, 0);
                        }
                        if (binaryTimestamps) {
                            byte[] raw = rs.getBytes(4);
                            if (raw != null) {
                                updatedAt.write(ByteConverter.int8(raw, 0) + PG_EPOCH_MICROS, 0, 1);
                            } else {
                                updatedAt.writeNull(0, 0);
                            }
                        } else {
                            LocalDateTime value = rs.getObject(4, LocalDateTime.class);
                            if (value != null) {
                                updatedAt.write(value.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + value.getNano() / 1_000, 0, 1);
                            } else {
                                updatedAt.writeNull(0, 0);
                            }
                        }
                        file.endRow();
                        rows++;
                    }
                }
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("FLOOR rows=" + rows + " ms=" + ms + " bytes=" + Files.size(out));
    }

    /** One Parquet file written column by column: parquet-java's column writers, page store and file writer. */
    private static final class Columns implements AutoCloseable {
        private final ParquetProperties properties = ParquetProperties.builder().withSizeStatisticsEnabled(false).build();
        private final SnappyPages snappy = new SnappyPages();
        private final ParquetFileWriter file;
        private ColumnChunkPageWriteStore pages;
        private ColumnWriteStore columns;
        final ColumnWriter[] writers = new ColumnWriter[SCHEMA.getColumns().size()];
        private long rowsInGroup;

        Columns(Path out) throws IOException {
            file = new ParquetFileWriter(new LocalOutputFile(out), SCHEMA, ParquetFileWriter.Mode.CREATE, ROW_GROUP_BYTES, 0, null, properties);
            file.start();
            startRowGroup();
        }


        void endRow() throws IOException {
            columns.endRecord();
            // a row group's size is looked at every 10,000 rows
            if (++rowsInGroup % 10_000 == 0 && columns.getBufferedSize() >= ROW_GROUP_BYTES) {
                flush();
                startRowGroup();
            }
        }

        private void startRowGroup() {
            pages = new ColumnChunkPageWriteStore(snappy, SCHEMA, properties.getAllocator(), properties.getColumnIndexTruncateLength(),
                    properties.getPageWriteChecksumEnabled());
            columns = properties.newColumnWriteStore(SCHEMA, pages);
            for (int i = 0; i < writers.length; i++) {
                writers[i] = columns.getColumnWriter(SCHEMA.getColumns().get(i));
            }
        }

        private void flush() throws IOException {
            if (rowsInGroup > 0) {
                file.startBlock(rowsInGroup);
                columns.flush();
                pages.flushToFileWriter(file);
                file.endBlock();
                rowsInGroup = 0;
            }
            columns.close();
            pages.close();
        }

        @Override
        public void close() throws IOException {
            flush();
            file.end(Map.of());
        }
    }

    /** Snappy pages from a reused input and output buffer. */
    private static final class SnappyPages implements BytesInputCompressor {
        private final Buffer in = new Buffer();
        private byte[] out = new byte[0];

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            in.reset();
            bytes.writeAllTo(in);
            int max = Snappy.maxCompressedLength(in.size());
            if (out.length < max) {
                out = new byte[max];
            }
            return BytesInput.from(out, 0, Snappy.compress(in.array(), 0, in.size(), out, 0));
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.SNAPPY;
        }

        @Override
        public void release() {
        }
    }

    private static final class Buffer extends ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }
}
