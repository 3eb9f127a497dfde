package dev.caravan.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync started through the platform MBean server, as JConsole, Jolokia or Hawtio would. */
class JmxSyncTest {

    @Test
    void syncNowOverJmxRunsTheJobAndTheAttributesReportIt(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingServer server = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            server.server().apply("""
                    sources: [{name: f, connector: faker, config: {count: 40}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - {name: jmx-demo, source: f, destination: lake, streams: [{name: users}]}
                    """.formatted(lake), "jmx.yaml");
            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = ConnectionMBeans.name("jmx-demo");
            assertThat(mbeans.isRegistered(name)).isTrue();
            assertThat(mbeans.getAttribute(name, "LastJobId")).isEqualTo(-1L);

            long jobId = (Long) mbeans.invoke(name, "syncNow", new Object[0], new String[0]);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"succeeded".equals(mbeans.getAttribute(name, "LastJobStatus")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(mbeans.getAttribute(name, "LastJobId")).isEqualTo(jobId);
            assertThat(mbeans.getAttribute(name, "LastJobStatus")).isEqualTo("succeeded");
            assertThat(mbeans.getAttribute(name, "LastSyncRecords")).isEqualTo(40L);
            assertThat((Long) mbeans.getAttribute(name, "LastSyncBytes")).isPositive();
            assertThat(mbeans.getAttribute(name, "Status")).isEqualTo("idle");
            assertThat(mbeans.getAttribute(name, "NextFireTime")).isEqualTo("");
            assertThat(server.server().jobs("jmx-demo", 1).get(0).trigger()).isEqualTo("jmx");
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/users")))).isEqualTo(40);

            assertThat(mbeans.invoke(name, "reset", new Object[0], new String[0])).isEqualTo("users");
            assertThat(server.server().states().load("jmx-demo", "users").orElseThrow().generationId()).isEqualTo(2);

            server.server().controlPlane().delete(dev.caravan.state.StoredDefinition.Kind.CONNECTION, "jmx-demo");
            assertThat(mbeans.isRegistered(name)).as("unregistered with its connection").isFalse();
        }
    }

    @Test
    void withJmxOffTheServerRegistersNoMBeansAndStillSyncs(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try (TestingServer server = new TestingServer(home, java.util.Map.of(dev.caravan.server.ServerSettings.JMX_ENABLED, "false"));
                ParquetQuery duck = new ParquetQuery()) {
            server.server().apply("""
                    sources: [{name: f, connector: faker, config: {count: 30}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - {name: no-jmx, source: f, destination: lake, streams: [{name: users}]}
                    """.formatted(lake), "nojmx.yaml");
            assertThat(mbeans.isRegistered(ConnectionMBeans.name("no-jmx"))).isFalse();
            assertThat(names(mbeans, "org.apache.camel:type=routes,name=\"no-jmx.*\",*")).isEmpty();
            assertThat(names(mbeans, "org.apache.camel:type=context,*")).as("no Camel context MBean").isEmpty();
            assertThat(server.server().syncNow("no-jmx").orElseThrow().status().name()).isEqualTo("SUCCEEDED");
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/users")))).isEqualTo(30);
        }
    }

    @Test
    void connectionRoutesHaveMBeansAndTheirEndpointsConsumersAndProducersDoNot(@TempDir Path home) throws Exception {
        try (TestingServer server = new TestingServer(home)) {
            server.server().apply("""
                    sources: [{name: f, connector: faker, config: {count: 5}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - {name: lean, source: f, destination: lake, schedule: {every: 1h}, streams: [{name: users}]}
                      - {name: lean2, source: f, destination: lake, namespace: two, streams: [{name: users}]}
                    """.formatted(home.resolve("lake")), "lean.yaml");
            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            assertThat(names(mbeans, "org.apache.camel:type=routes,name=\"lean.*\",*")).containsExactlyInAnyOrder("lean.schedule", "lean.users");

            // Route MBeans share one description of their ~140 attributes and operations, and answer for their own route.
            ObjectName first = routeMBean(mbeans, "lean.users");
            ObjectName second = routeMBean(mbeans, "lean2.users");
            MBeanAttributeInfo[] firstAttributes = mbeans.getMBeanInfo(first).getAttributes();
            MBeanAttributeInfo[] secondAttributes = mbeans.getMBeanInfo(second).getAttributes();
            assertThat(firstAttributes).hasSizeGreaterThan(20).hasSameSizeAs(secondAttributes);
            for (int i = 0; i < firstAttributes.length; i++) {
                assertThat(secondAttributes[i]).isSameAs(firstAttributes[i]);
            }
            assertThat(mbeans.getAttribute(first, "RouteId")).isEqualTo("lean.users");
            assertThat(mbeans.getAttribute(second, "RouteId")).isEqualTo("lean2.users");
            assertThat(mbeans.getAttribute(second, "Description")).asString().contains("lean2");
            mbeans.invoke(second, "stop", new Object[0], new String[0]);
            assertThat(mbeans.getAttribute(second, "State")).isEqualTo("Stopped");
            assertThat(mbeans.getAttribute(first, "State")).isEqualTo("Started");
            assertThat(names(mbeans, "org.apache.camel:type=routegroups,name=\"lean\",*")).containsExactly("lean");
            assertThat(names(mbeans, "org.apache.camel:type=endpoints,*")).as("the API's endpoints keep theirs")
                    .anyMatch(n -> n.startsWith("rest:")).noneMatch(n -> n.contains("lean"));
            for (String type : new String[] {"consumers", "producers"}) {
                for (ObjectName part : mbeans.queryNames(new ObjectName("org.apache.camel:type=" + type + ",*"), null)) {
                    assertThat(String.valueOf(mbeans.getAttribute(part, "EndpointUri"))).doesNotContain("lean");
                }
            }
        }
    }

    private static ObjectName routeMBean(MBeanServer mbeans, String routeId) throws Exception {
        return mbeans.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"" + routeId + "\",*"), null).iterator().next();
    }

    private static List<String> names(MBeanServer mbeans, String pattern) throws Exception {
        return mbeans.queryNames(new ObjectName(pattern), null).stream().map(n -> ObjectName.unquote(n.getKeyProperty("name"))).toList();
    }
}
