package dev.caravan.hawtio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.ServerSettings;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With authentication off (loopback only) every caller counts as admin: what is denied outright stays denied. */
class JolokiaWithoutAuthTest {
    @TempDir
    Path home;

    @Test
    void heapDumpsDiagnosticCommandsAndGetWritesStayRefused() {
        try (TestingServer server = new TestingServer(home, Map.of(ServerSettings.HAWTIO_ENABLED, "true"))) {
            HttpJson jolokia = new HttpJson(server.baseUrl());
            Path dump = home.resolve("open.hprof");
            Response heap = jolokia.post("/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                    + "\"operation\":\"dumpHeap(java.lang.String,boolean)\",\"arguments\":[\"" + dump.toString().replace("\\", "\\\\") + "\",true]}");
            assertThat(heap.json().get("status").asInt()).as(heap.text()).isEqualTo(403);
            Response jcmd = jolokia.post("/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                    + "\"operation\":\"vmSystemProperties()\"}");
            assertThat(jcmd.json().get("status").asInt()).as(jcmd.text()).isEqualTo(403);
            assertThat(dump).doesNotExist();
            assertThat(jolokia.get("/hawtio/jolokia/write/java.lang:type=Memory/Verbose/true").json().get("status").asInt()).isEqualTo(403);

            Response gc = jolokia.post("/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\"}");
            assertThat(gc.json().get("status").asInt()).as("other operations work: " + gc.text()).isEqualTo(200);
        }
    }
}
