package dev.caravan.sync;

import dev.caravan.spi.Catalog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The catalogs discovered during one job, by source: schema change detection discovers each source once per job. */
public final class JobCatalogs {
    private final Map<String, Catalog> bySource = new ConcurrentHashMap<>();

    /** The catalog of {@code source}, discovered with {@code discover} on first use in this job. */
    public Catalog of(String source, Supplier<Catalog> discover) {
        return bySource.computeIfAbsent(source, s -> discover.get());
    }
}
