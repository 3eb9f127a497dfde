package dev.caravan.camel.parquet;

import dev.caravan.spi.CaravanException;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;


/** The destination side of a stream route: which destination, and the namespace and stream prefix to write under. */
@UriEndpoint(scheme = "caravan-parquet", title = "Caravan Parquet lake", syntax = "caravan-parquet:destination", producerOnly = true,
        category = Category.FILE)
public class CaravanParquetEndpoint extends DefaultEndpoint {
    @UriPath(description = "The destination (as applied) to write to: a local folder or an S3 bucket; its secrets stay in the metadata store")
    @Metadata(required = true)
    private final String destination;
    @UriParam(description = "The namespace: the first directory level under raw/ (may nest, a/b)")
    private String namespace = "";
    @UriParam(description = "A prefix for the stream's directory name")
    private String prefix = "";

    CaravanParquetEndpoint(String uri, CaravanParquetComponent component, String destination) {
        super(uri, component);
        this.destination = destination;
    }

    @Override
    public Producer createProducer() {
        return new CaravanParquetProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw CaravanException.config(getEndpointUri() + " can only be used in to(); read with caravan-source:");
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    public String getDestination() {
        return destination;
    }

    public String getNamespace() {
        return namespace;
    }

    /** Destination namespace: the first path segment under raw/ (empty = none). */
    public void setNamespace(String namespace) {
        this.namespace = namespace == null ? "" : namespace;
    }

    public String getPrefix() {
        return prefix;
    }

    /** Prepended to the stream name in the output path. */
    public void setPrefix(String prefix) {
        this.prefix = prefix == null ? "" : prefix;
    }
}
