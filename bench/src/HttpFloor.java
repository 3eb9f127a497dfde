import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * The floor of bench/http-api.sh: the least code that copies {@link BenchApi}'s records into one snappy Parquet file —
 * one thread, the JDK's HTTP client, Jackson's token stream (no trees, no record objects), parquet-java writing each
 * record as it is parsed; offset/limit pages until one is short. Everything Caravan does beyond this is overhead.
 *
 * <p>Usage: {@code java -cp <classpath> HttpFloor <base url> <page size> <out.parquet>}. Prints
 * {@code FLOOR rows=<n> ms=<copy time> bytes=<file size>}.
 */
public final class HttpFloor {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        int pageSize = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        Files.deleteIfExists(out);
        long started = System.nanoTime();
        long rows = 0;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        JsonFactory json = new JsonFactory();
        FloorRecord row = new FloorRecord();
        try (ParquetWriter<FloorRecord> writer = FloorParquet.writer(out, FloorRecord.SCHEMA, FloorRecord::write)) {
            for (long offset = 0; ; offset += pageSize) {
                HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(base + "/records?offset=" + offset
                        + "&limit=" + pageSize)).build(), HttpResponse.BodyHandlers.ofInputStream());
                int count = 0;
                try (InputStream body = response.body(); JsonParser p = json.createParser(body)) {
                    while (p.nextToken() != JsonToken.START_ARRAY) {
                        // to the records array
                    }
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        row.read(p);
                        writer.write(row);
                        count++;
                    }
                }
                rows += count;
                if (count < pageSize) {
                    break;
                }
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("FLOOR rows=" + rows + " ms=" + ms + " bytes=" + Files.size(out));
    }
}
