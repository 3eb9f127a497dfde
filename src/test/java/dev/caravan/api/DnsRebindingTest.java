package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingServer;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With authentication off, a page whose own name was rebound to 127.0.0.1 (DNS rebinding) sends that name as both
 * Origin and Host, so "Origin equals Host" is no proof of the server's own page: its writes are refused; the same
 * request from a page the browser reached by a loopback name is taken.
 */
class DnsRebindingTest {
    @TempDir
    Path home;

    @Test
    void aReboundPageCannotWriteWhenAuthenticationIsOff() throws IOException {
        try (TestingServer server = new TestingServer(home)) {
            int port = URI.create(server.apiUrl()).getPort();
            String rebound = post(port, "rebound.evil.example:" + port, "http://rebound.evil.example:" + port, "evil");
            assertThat(rebound).startsWith("HTTP/1.1 403 ").contains("CROSS_ORIGIN");
            assertThat(new HttpJson(server.apiUrl()).get("/sources/evil").status()).isEqualTo(404);

            for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port}) {
                String name = "own-" + host.substring(0, host.indexOf(':')).replace('.', '-');
                assertThat(post(port, host, "http://" + host, name)).as(host).startsWith("HTTP/1.1 201 ");
            }
        }
    }

    /** A source-creating POST with the given Host and Origin, over a socket (HTTP clients do not let a caller set Host). */
    private static String post(int port, String host, String origin, String name) throws IOException {
        String body = "{\"name\":\"" + name + "\",\"connector\":\"faker\",\"config\":{\"count\":1}}";
        String request = "POST /api/v1/sources HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
