package dev.caravan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Camel's route MBeans built by {@link SharedMBeanInfoAssembler} in a real context on the platform MBean server: the
 * second and later of a class come from the first one's description without assembling it again, and still read
 * and control their own route.
 */
class SharedMBeanInfoAssemblerTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @Test
    void routeMbeansShareOneDescriptionAndEachControlsItsOwnRoute() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getManagementNameStrategy().setNamePattern("shared-mbean-test-#counter#");
            context.getCamelContextExtension().setManagementMBeanAssembler(new SharedMBeanInfoAssembler(context));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (String id : List.of("one", "two", "three")) {
                        from("direct:" + id).routeId(id).setBody(constant(id));
                    }
                }
            });
            context.start();
            String name = context.getManagementName();
            Set<ObjectName> routes = SERVER.queryNames(new ObjectName("org.apache.camel:context=" + name + ",type=routes,*"), null);
            assertThat(routes).hasSize(3);

            MBeanInfo first = null;
            for (ObjectName route : routes) {
                MBeanInfo info = SERVER.getMBeanInfo(route);
                assertThat(info.getAttributes()).extracting(MBeanAttributeInfo::getName).contains("RouteId", "ExchangesTotal", "State");
                if (first == null) {
                    first = info;
                } else {
                    // the very same feature objects: one description for all
                    assertThat(info.getAttributes()).containsExactly(first.getAttributes());
                    assertThat(info.getAttributes()[0]).isSameAs(first.getAttributes()[0]);
                    assertThat(info.getOperations()[0]).isSameAs(first.getOperations()[0]);
                }
            }

            context.createProducerTemplate().sendBody("direct:two", "x");
            ObjectName two = routes.stream().filter(r -> r.getKeyProperty("name").contains("two")).findFirst().orElseThrow();
            ObjectName three = routes.stream().filter(r -> r.getKeyProperty("name").contains("three")).findFirst().orElseThrow();
            assertThat(SERVER.getAttribute(two, "RouteId")).isEqualTo("two");
            assertThat(SERVER.getAttribute(two, "ExchangesTotal")).isEqualTo(1L);
            assertThat(SERVER.getAttribute(three, "RouteId")).isEqualTo("three");
            assertThat(SERVER.getAttribute(three, "ExchangesTotal")).isEqualTo(0L);

            SERVER.invoke(three, "stop", null, null);
            assertThat(context.getRouteController().getRouteStatus("three").isStopped()).isTrue();
            assertThat(context.getRouteController().getRouteStatus("two").isStarted()).isTrue();
        }
    }
}
