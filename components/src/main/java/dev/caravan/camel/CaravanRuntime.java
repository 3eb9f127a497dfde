package dev.caravan.camel;

import dev.caravan.sync.ConnectorResolver;
import dev.caravan.sync.OutputGuard;
import dev.caravan.sync.StreamStateStore;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.NoSuchBeanException;

/** What the Caravan components need from the server, bound once in the Camel registry. */
public record CaravanRuntime(ConnectorResolver connectors, StreamStateStore states, OutputGuard outputs) {
    public CaravanRuntime {
        Objects.requireNonNull(connectors, "connectors");
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(outputs, "outputs");
    }

    /** A runtime that lets every stream write where its route says ({@link OutputGuard#ANY}): components without a server. */
    public CaravanRuntime(ConnectorResolver connectors, StreamStateStore states) {
        this(connectors, states, OutputGuard.ANY);
    }

    public static CaravanRuntime lookup(CamelContext context) {
        CaravanRuntime runtime = context.getRegistry().findSingleByType(CaravanRuntime.class);
        if (runtime == null) {
            throw new NoSuchBeanException("caravanRuntime", "the Caravan components run only inside a Caravan server");
        }
        return runtime;
    }
}
