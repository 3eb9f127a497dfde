package dev.caravan.spi;

import java.util.List;
import java.util.Optional;

/** What {@code discover} found: the streams of a source. */
public record Catalog(List<CatalogStream> streams) {
    public Catalog {
        streams = List.copyOf(streams);
    }

    public Optional<CatalogStream> stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public List<String> streamNames() {
        return streams.stream().map(CatalogStream::name).toList();
    }
}
