package dev.caravan.catalog;

import dev.caravan.spi.Catalog;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.StreamWriter;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import dev.caravan.spi.WriteSummary;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs every call into a plugin with the plugin's class loader as the thread's context class loader, and the caller's
 * back afterwards: libraries that look classes or services up through the context loader (JDBC's {@code DriverManager},
 * {@code ServiceLoader.load(type)}, many SDKs) then find the plugin's own. The connector, and the readers and writers it
 * opens, are wrapped once, at registration; the server never sees the plugin's instances directly.
 */
final class PluginContext {
    private final ClassLoader loader;

    PluginContext(ClassLoader loader) {
        this.loader = loader;
    }

    /** {@code connector} (a {@link SourceConnector} or {@link DestinationConnector}) wrapped so that each call runs in this context. */
    Object wrap(Object connector) {
        if (connector instanceof SourceConnector source) {
            return new Source(source);
        }
        if (connector instanceof DestinationConnector destination) {
            return new Destination(destination);
        }
        throw new IllegalArgumentException(connector.getClass() + " is no connector");
    }

    <T> T call(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    private final class Source implements SourceConnector {
        private final SourceConnector plugin;

        Source(SourceConnector plugin) {
            this.plugin = plugin;
        }

        @Override
        public ConnectorSpec spec() {
            return call(plugin::spec);
        }

        @Override
        public CheckResult check(ConnectorConfig config) {
            return call(() -> plugin.check(config));
        }

        @Override
        public Catalog discover(ConnectorConfig config) {
            return call(() -> plugin.discover(config));
        }

        @Override
        public StreamReader read(ConnectorConfig config, ReadRequest request) {
            return new Reader(call(() -> plugin.read(config, request)));
        }

        @Override
        public String toString() {
            return plugin.toString();
        }
    }

    private final class Reader implements StreamReader {
        private final StreamReader plugin;

        Reader(StreamReader plugin) {
            this.plugin = plugin;
        }

        @Override
        public Schema schema() {
            return call(plugin::schema);
        }

        @Override
        public RecordBatch next() {
            return call(plugin::next);
        }

        @Override
        public void close() {
            run(plugin::close);
        }
    }

    private final class Destination implements DestinationConnector {
        private final DestinationConnector plugin;

        Destination(DestinationConnector plugin) {
            this.plugin = plugin;
        }

        @Override
        public ConnectorSpec spec() {
            return call(plugin::spec);
        }

        @Override
        public CheckResult check(ConnectorConfig config) {
            return call(() -> plugin.check(config));
        }

        @Override
        public StreamWriter open(ConnectorConfig config, WriteRequest request) {
            return new Writer(call(() -> plugin.open(config, request)));
        }

        @Override
        public String location(ConnectorConfig config) {
            return call(() -> plugin.location(config));
        }

        @Override
        public Set<SyncMode> supportedSyncModes() {
            return call(plugin::supportedSyncModes);
        }

        @Override
        public String toString() {
            return plugin.toString();
        }
    }

    private final class Writer implements StreamWriter {
        private final StreamWriter plugin;

        Writer(StreamWriter plugin) {
            this.plugin = plugin;
        }

        @Override
        public boolean write(RecordBatch batch) {
            return call(() -> plugin.write(batch));
        }

        @Override
        public WriteSummary commit() {
            return call(plugin::commit);
        }

        @Override
        public WriteSummary published() {
            return call(plugin::published);
        }

        @Override
        public void checkpointCommitted() {
            run(plugin::checkpointCommitted);
        }

        @Override
        public void abort() {
            run(plugin::abort);
        }

        @Override
        public void close() {
            run(plugin::close);
        }
    }
}
