import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Executors;

/**
 * The API of bench/http-api.sh: {@code GET /records?offset=N&limit=L} answers {@code {"data": [...]}} with records
 * {@code {"id", "name", "amount", "updated_at"}} number offset+1 .. min(offset+L, total), generated as they are written
 * (chunked; no page is held in memory), so the server costs little next to the client. Its own JVM: the client's RSS
 * and CPU exclude it.
 *
 * <p>Usage: {@code java -cp target/bench/classes BenchApi <total records> <port file>}: listens on a free loopback port,
 * writes it to the port file, serves until killed.
 */
public final class BenchApi {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    public static void main(String[] args) throws IOException {
        long total = Long.parseLong(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/records", ex -> serve(ex, total));
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), Integer.toString(server.getAddress().getPort()));
    }

    private static void serve(HttpExchange ex, long total) throws IOException {
        try (ex) {
            long offset = 0;
            long limit = 100;
            String query = ex.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals("offset")) {
                    offset = Long.parseLong(kv[1]);
                } else if (kv[0].equals("limit")) {
                    limit = Long.parseLong(kv[1]);
                }
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            long end = Math.min(total, offset + limit);
            StringBuilder record = new StringBuilder(160);
            try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 64 * 1024)) {
                out.write("{\"data\":[".getBytes(StandardCharsets.US_ASCII));
                for (long id = offset + 1; id <= end; id++) {
                    record.setLength(0);
                    record.append(id == offset + 1 ? "" : ",").append("{\"id\":").append(id).append(",\"name\":\"name ")
                            .append(Long.toHexString(id * 0x9E3779B97F4A7C15L)).append("\",\"amount\":").append(id % 100000).append('.')
                            .append(id % 100 < 10 ? "0" : "").append(id % 100).append(",\"updated_at\":\"").append(T0.plusSeconds(id)).append("\"}");
                    out.write(record.toString().getBytes(StandardCharsets.US_ASCII));
                }
                out.write("]}".getBytes(StandardCharsets.US_ASCII));
            }
        }
    }
}
