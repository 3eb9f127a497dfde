package dev.caravan.camel.parquet;

import dev.caravan.spi.CaravanException;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/** {@code caravan-parquet:<destination>?namespace=..&prefix=..}: writes the batches of a stream route to a destination. */
public class CaravanParquetComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank() || remaining.contains("/")) {
            throw CaravanException.config("Endpoint " + uri + ": the path must be the destination name, e.g. caravan-parquet:local-lake");
        }
        CaravanParquetEndpoint endpoint = new CaravanParquetEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
