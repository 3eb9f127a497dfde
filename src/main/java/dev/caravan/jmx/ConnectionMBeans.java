package dev.caravan.jmx;

import dev.caravan.jobs.SyncCoordinator;
import dev.caravan.service.ControlPlane;
import dev.caravan.service.JobHistory;
import dev.caravan.service.Schedules;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link ConnectionMBean} per connection registered in the platform MBean server, beside Camel's own route
 * MBeans, so a sync can be started from JConsole, Jolokia or Hawtio.
 */
public final class ConnectionMBeans implements AutoCloseable {
    public static final String DOMAIN = "dev.caravan";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionMBeans.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final JobHistory jobs;
    private final Set<String> registered = new HashSet<>();
    private SyncCoordinator coordinator;
    private ControlPlane controlPlane;
    private Schedules schedules;

    public ConnectionMBeans(JobHistory jobs) {
        this.jobs = jobs;
    }

    public void bind(ControlPlane controlPlane, SyncCoordinator coordinator, Schedules schedules) {
        this.controlPlane = controlPlane;
        this.coordinator = coordinator;
        this.schedules = schedules;
    }

    public static ObjectName name(String connection) {
        try {
            return new ObjectName(DOMAIN + ":type=Connection,name=" + ObjectName.quote(connection));
        } catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Registers the MBeans of {@code connections} and unregisters those of connections that are gone. */
    public synchronized void sync(Set<String> connections) {
        for (String gone : Set.copyOf(registered)) {
            if (!connections.contains(gone)) {
                unregister(gone);
            }
        }
        connections.forEach(this::register);
    }

    public synchronized void register(String connection) {
        if (registered.contains(connection) || coordinator == null) {
            return;
        }
        try {
            ObjectName name = name(connection);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new Connection(connection, jobs, coordinator, controlPlane, schedules), name);
            registered.add(connection);
        } catch (JMException e) {
            LOG.warn("Cannot register the MBean of connection {}: {}", connection, e.getMessage());
        }
    }

    private void unregister(String connection) {
        try {
            server.unregisterMBean(name(connection));
        } catch (JMException e) {
            LOG.debug("MBean of {} was already gone: {}", connection, e.getMessage());
        }
        registered.remove(connection);
    }

    @Override
    public synchronized void close() {
        Set.copyOf(registered).forEach(this::unregister);
    }
}
