package dev.caravan.hawtio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a viewer may ask Jolokia: reads and read-only operations only. */
class JolokiaAccessFilterTest {

    private static java.util.List<String> body(String json) {
        return JolokiaAccessFilter.deniedInBody(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsListsSearchesAndReadOnlyOperationsPass() {
        assertThat(body("{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\"}")).isEmpty();
        assertThat(body("[{\"type\":\"list\"},{\"type\":\"search\",\"mbean\":\"*:*\"},{\"type\":\"version\"}]")).isEmpty();
        assertThat(body("{\"type\":\"exec\",\"mbean\":\"org.apache.camel:type=routes,*\",\"operation\":\"dumpRouteAsXml(boolean)\"}")).isEmpty();
        assertThat(body("{\"type\":\"exec\",\"mbean\":\"hawtio:type=security,area=jmx\",\"operation\":\"canInvoke(java.util.Map)\"}")).isEmpty();
        assertThat(body("{\"type\":\"EXEC\",\"mbean\":\"x:y=z\",\"operation\":\"getState\"}")).isEmpty();
        assertThat(JolokiaAccessFilter.deniedInPath("/read/java.lang:type=Runtime/Uptime")).isEmpty();
        assertThat(JolokiaAccessFilter.deniedInPath("/version")).isEmpty();
        assertThat(JolokiaAccessFilter.deniedInPath(null)).isEmpty();
        assertThat(JolokiaAccessFilter.deniedInPath("/exec/x:name=a!/b/getThing")).isEmpty();
    }

    @Test
    void writesAndOtherOperationsAreDenied() {
        assertThat(body("{\"type\":\"exec\",\"mbean\":\"dev.caravan:type=Connection,name=\\\"d\\\"\",\"operation\":\"syncNow\"}"))
                .containsExactly("exec syncNow on dev.caravan:type=Connection,name=\"d\"");
        assertThat(body("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}"))
                .containsExactly("write on java.lang:type=Memory");
        assertThat(body("[{\"type\":\"read\"},{\"type\":\"exec\",\"mbean\":\"m:a=b\",\"operation\":\"stop\"}]")).hasSize(1);
        assertThat(body("{\"type\":\"exec\",\"mbean\":\"m:a=b\",\"operation\":\"isolate\"}")).as("not a getter just because it starts with 'is'")
                .hasSize(1);
        assertThat(body("{\"type\":\"notification\",\"command\":\"register\"}")).hasSize(1);
        assertThat(body("not json")).containsExactly("(unreadable request)");
        assertThat(JolokiaAccessFilter.deniedInPath("/exec/dev.caravan:type=Connection,name=x/reset")).hasSize(1);
        assertThat(JolokiaAccessFilter.deniedInPath("/write/java.lang:type=Memory/Verbose/true")).hasSize(1);
    }
}
