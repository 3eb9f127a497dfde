package dev.caravan.server;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Camel's JMX management, at a heap cost that lets one server hold thousands of connections: connection routes keep
 * their route and route group MBeans (what Hawtio shows and controls) but not one per endpoint, consumer and producer
 * ({@link ConnectionPartsUnmanaged}), and MBeans of one class share one description ({@link SharedMBeanInfoAssembler}).
 * Installed before the context starts, so every MBean is built this way.
 */
final class LeanManagement extends MainListenerSupport {
    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        context.getCamelContextExtension().setManagementMBeanAssembler(new SharedMBeanInfoAssembler(context));
        context.getManagementStrategy().setManagementObjectStrategy(new ConnectionPartsUnmanaged());
    }
}
