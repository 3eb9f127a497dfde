package dev.caravan.metrics;

import dev.caravan.source.cdc.CdcLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;

/**
 * The server's metrics registry, rendered for Prometheus at {@code /metrics}: JVM and process metrics, Camel route
 * metrics ({@link #routePolicies()}), Caravan's sync metrics ({@link SyncMetrics}) and the lag of CDC readers
 * ({@link CdcLag}).
 */
public final class CaravanMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc;
    private final Runnable cdcLagSubscription;

    /** With every metric. */
    public CaravanMetrics() {
        this(true);
    }

    /**
     * With {@code jvmMetrics} false, no JVM and process metrics: for a server that serves no {@code /metrics} (a one-shot
     * run), where binding them (the JVM's management beans, a listener on every collection) only slows the start.
     */
    public CaravanMetrics(boolean jvmMetrics) {
        gc = jvmMetrics ? new JvmGcMetrics() : null;
        if (jvmMetrics) {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }
        // one gauge per CDC reader (postgres-cdc: per replication slot), registered when it first reads a change
        cdcLagSubscription = CdcLag.subscribe(reader -> Gauge.builder("caravan.cdc.lag", () -> CdcLag.secondsBehind(reader))
                .description("Seconds the CDC reader was behind its source at the last change it read (0 once a sync caught up)")
                .baseUnit("seconds").tag("reader", reader).register(registry));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Times every exchange of every route (a batch, for a stream route), tagged with the route id and group. */
    public MicrometerRoutePolicyFactory routePolicies() {
        MicrometerRoutePolicyFactory factory = new MicrometerRoutePolicyFactory();
        factory.setMeterRegistry(registry);
        return factory;
    }

    /** The metrics in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        cdcLagSubscription.run();
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
