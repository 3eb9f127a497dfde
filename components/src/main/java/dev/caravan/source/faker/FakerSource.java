package dev.caravan.source.faker;

import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;

/**
 * The sample-data source: deterministic {@code users}, {@code products} and {@code purchases} generated in
 * memory, for demos and for testing destinations and the sync machinery without an external system.
 * Every stream supports all sync modes; its rows are ordered by (updated_at, id), both growing with id.
 */
public final class FakerSource implements SourceConnector {
    public static final ConnectorSpec SPEC =
            new ConnectorSpec("faker", ConnectorSpec.ConnectorKind.SOURCE, "Sample data (faker)", FakerConfig.OPTIONS);

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public CheckResult check(ConnectorConfig config) {
        try {
            FakerConfig.from(config);
            return CheckResult.ok();
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public Catalog discover(ConnectorConfig config) {
        FakerConfig.from(config);
        return FakerStreams.CATALOG;
    }

    @Override
    public StreamReader read(ConnectorConfig config, ReadRequest request) {
        FakerConfig faker = FakerConfig.from(config);
        CatalogStream stream = FakerStreams.stream(request.stream());
        Schema schema = FakerStreams.project(stream, request.fields());
        FakerState state = FakerState.of(request, faker);
        long lastIdRead = state.lastIdRead(request.state());
        return new FakerReader(FakerStreams.open(stream.name(), faker), schema, state, lastIdRead, request.batchSize());
    }
}
