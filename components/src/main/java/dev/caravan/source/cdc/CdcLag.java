package dev.caravan.source.cdc;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each CDC reader is behind its source, in seconds: the time between the commit of the last change it read and
 * the moment it read it, 0 once a read caught up. Kept per reader name (the slot name for PostgreSQL) for the life of
 * the server, published as a JMX MBean {@code dev.caravan:type=CdcLag,name=<reader>} and to whoever subscribed (the
 * server's /metrics registers a gauge per reader).
 */
public final class CdcLag {
    private static final Logger LOG = LoggerFactory.getLogger(CdcLag.class);
    private static final Map<String, Reader> READERS = new ConcurrentHashMap<>();
    private static final java.util.List<Consumer<String>> SUBSCRIBERS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** JMX view of one reader. */
    public interface ReaderMBean {
        double getSecondsBehindSource();

        long getLastChangeCommittedAtMillis();
    }

    static final class Reader implements ReaderMBean {
        private volatile double secondsBehind = Double.NaN;
        private volatile long committedAt;

        @Override
        public double getSecondsBehindSource() {
            return secondsBehind;
        }

        @Override
        public long getLastChangeCommittedAtMillis() {
            return committedAt;
        }
    }

    private CdcLag() {
    }

    /** Calls {@code onNewReader} with every reader name known now and each new one later, until the returned handle is run. */
    public static Runnable subscribe(Consumer<String> onNewReader) {
        SUBSCRIBERS.add(onNewReader);
        READERS.keySet().forEach(onNewReader);
        return () -> SUBSCRIBERS.remove(onNewReader);
    }

    /** Seconds behind the source of {@code reader}; NaN before it read a change. */
    public static double secondsBehind(String reader) {
        Reader r = READERS.get(reader);
        return r == null ? Double.NaN : r.secondsBehind;
    }

    static void changeRead(String reader, long committedAtMillis) {
        Reader r = reader(reader);
        r.committedAt = committedAtMillis;
        r.secondsBehind = Math.max(0, System.currentTimeMillis() - committedAtMillis) / 1000.0;
    }

    static void caughtUp(String reader) {
        reader(reader).secondsBehind = 0;
    }

    private static Reader reader(String name) {
        Reader existing = READERS.get(name);
        if (existing != null) {
            return existing;
        }
        Reader created = new Reader();
        Reader raced = READERS.putIfAbsent(name, created);
        if (raced != null) {
            return raced;
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName objectName = new ObjectName("dev.caravan:type=CdcLag,name=" + ObjectName.quote(name));
            if (!server.isRegistered(objectName)) {
                server.registerMBean(created, objectName);
            }
        } catch (JMException e) {
            LOG.warn("Could not register the CDC lag MBean of {}: {}", name, e.toString());
        }
        SUBSCRIBERS.forEach(s -> s.accept(name));
        return created;
    }
}
