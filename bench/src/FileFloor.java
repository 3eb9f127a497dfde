import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * The floor of bench/files.sh: the least code that copies a file of records {id, name, amount, updated_at} into one snappy
 * Parquet file — one thread, Jackson's streaming CSV parser (the same parser the files source uses) or its JSON token
 * stream over the whole file (no per-line parsers), values typed as they are read, parquet-java writing each record as it
 * is parsed; no metadata columns, no schema inference, no checks. Everything Caravan does beyond this is overhead.
 *
 * <p>Usage: {@code java -cp <classpath> FileFloor csv|jsonl <in> <out.parquet>}. Prints {@code FLOOR rows=<n> ms=<copy time>}.
 */
public final class FileFloor {
    public static void main(String[] args) throws Exception {
        boolean csv = args[0].equals("csv");
        Path in = Path.of(args[1]);
        Path out = Path.of(args[2]);
        Files.deleteIfExists(out);
        long started = System.nanoTime();
        long rows = 0;
        FloorRecord row = new FloorRecord();
        try (ParquetWriter<FloorRecord> writer = FloorParquet.writer(out, FloorRecord.SCHEMA, FloorRecord::write);
             InputStream raw = new BufferedInputStream(Files.newInputStream(in), 256 * 1024)) {
            if (csv) {
                Reader reader = new InputStreamReader(raw, StandardCharsets.UTF_8);
                try (CsvParser p = new CsvFactory().createParser(reader)) {
                    p.setSchema(CsvSchema.emptySchema());
                    p.nextToken();
                    p.skipChildren(); // the header
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        p.nextToken();
                        row.id = Long.parseLong(p.getText());
                        p.nextToken();
                        row.name = p.getText();
                        p.nextToken();
                        row.amount = Double.parseDouble(p.getText());
                        p.nextToken();
                        row.micros = FloorRecord.micros(p.getText());
                        p.nextToken();
                        writer.write(row);
                        rows++;
                    }
                }
            } else {
                try (JsonParser p = new JsonFactory().createParser(raw)) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        row.read(p);
                        writer.write(row);
                        rows++;
                    }
                }
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("FLOOR rows=" + rows + " ms=" + ms + " bytes=" + Files.size(out));
    }
}
