/**
 * The Caravan connector SDK: the contracts between the server and a connector, and the types they exchange. It depends
 * on the JDK only and is published as the artifact {@code dev.caravan:caravan-connector-sdk}.
 * <ul>
 *   <li>A source ({@link dev.caravan.spi.SourceConnector}): spec → check → discover → read, the read returning a
 *       {@link dev.caravan.spi.StreamReader} that hands out {@link dev.caravan.spi.RecordBatch}es, each with the opaque
 *       per-stream state (checkpoint) reached. The server commits that state only once the batch is durable, and passes
 *       the last committed one back in the next {@link dev.caravan.spi.ReadRequest}.</li>
 *   <li>A destination ({@link dev.caravan.spi.DestinationConnector}): spec → check → open a
 *       {@link dev.caravan.spi.StreamWriter} → write* → commit | abort.</li>
 *   <li>Configuration: a connector declares its {@link dev.caravan.spi.ConfigOption}s once in its
 *       {@link dev.caravan.spi.ConnectorSpec}; the server validates settings against them and hands the connector a
 *       {@link dev.caravan.spi.ConnectorConfig}.</li>
 *   <li>Errors: {@link dev.caravan.spi.CaravanException} with an {@link dev.caravan.spi.ErrorType} (config, transient,
 *       system) that decides whether the server retries.</li>
 * </ul>
 * A connector is found with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.caravan.spi.SourceConnector} or
 * {@code ...DestinationConnector}) beside its catalog metadata, and declares the SDK version it needs
 * ({@link dev.caravan.spi.ConnectorSdk}).
 */
package dev.caravan.spi;
