package dev.caravan.jmx;

import dev.caravan.routes.RouteDirectoryWatcher;
import dev.caravan.routes.RouteFileStatus;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The {@link RouteDirectoryMBean} of a server's route directory. */
public final class RouteDirectory implements RouteDirectoryMBean {
    private final RouteDirectoryWatcher watcher;

    private RouteDirectory(RouteDirectoryWatcher watcher) {
        this.watcher = watcher;
    }

    public static ObjectName name() {
        try {
            return new ObjectName(ConnectionMBeans.DOMAIN + ":type=RouteDirectory");
        } catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Registers the MBean (replacing an earlier server's in this JVM); closing unregisters it. */
    public static AutoCloseable register(RouteDirectoryWatcher watcher) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = name();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        RouteDirectory bean = new RouteDirectory(watcher);
        server.registerMBean(bean, name);
        return () -> {
            if (server.isRegistered(name) && server.getObjectInstance(name).getClassName().equals(RouteDirectory.class.getName())) {
                server.unregisterMBean(name);
            }
        };
    }

    @Override
    public String getDirectory() {
        return watcher.directory().toString();
    }

    @Override
    public String[] getLoadedFiles() {
        return watcher.statuses().values().stream().filter(RouteFileStatus::loaded).sorted(java.util.Comparator.comparing(RouteFileStatus::file))
                .map(s -> s.file() + ": " + String.join(", ", s.routeIds())).toArray(String[]::new);
    }

    @Override
    public String[] getFailedFiles() {
        return described(RouteFileStatus.State.FAILED);
    }

    @Override
    public String[] getRefusedFiles() {
        return described(RouteFileStatus.State.REFUSED);
    }

    private String[] described(RouteFileStatus.State state) {
        return watcher.statuses().values().stream().filter(s -> s.state() == state).sorted(java.util.Comparator.comparing(RouteFileStatus::file))
                .map(s -> s.file() + ": " + s.error()).toArray(String[]::new);
    }
}
