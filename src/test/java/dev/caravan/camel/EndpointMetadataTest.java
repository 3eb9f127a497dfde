package dev.caravan.camel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.camel.jobs.CaravanJobsEndpoint;
import dev.caravan.camel.parquet.CaravanParquetEndpoint;
import dev.caravan.camel.source.CaravanSourceEndpoint;
import dev.caravan.camel.sync.CaravanSyncEndpoint;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.junit.jupiter.api.Test;

/** Every Caravan endpoint declares its scheme and every option with Camel's metadata, so catalogs and Hawtio show them. */
class EndpointMetadataTest {

    @Test
    void everyEndpointAndOptionCarriesCamelMetadata() {
        for (Class<?> endpoint : List.of(CaravanSourceEndpoint.class, CaravanParquetEndpoint.class, CaravanSyncEndpoint.class,
                CaravanJobsEndpoint.class)) {
            UriEndpoint declared = endpoint.getAnnotation(UriEndpoint.class);
            assertThat(declared).as("@UriEndpoint on %s", endpoint.getSimpleName()).isNotNull();
            assertThat(declared.syntax()).startsWith(declared.scheme() + ":");
            for (Field field : endpoint.getDeclaredFields()) {
                boolean option = !Modifier.isStatic(field.getModifiers())
                        && (field.getType() == String.class || field.getType().isPrimitive());
                if (option) {
                    boolean described = field.isAnnotationPresent(UriParam.class) || field.isAnnotationPresent(UriPath.class);
                    assertThat(described).as("%s.%s declared with @UriPath or @UriParam", endpoint.getSimpleName(), field.getName()).isTrue();
                    String description = field.isAnnotationPresent(UriParam.class) ? field.getAnnotation(UriParam.class).description()
                            : field.getAnnotation(UriPath.class).description();
                    assertThat(description).as("description of %s.%s", endpoint.getSimpleName(), field.getName()).isNotBlank();
                }
            }
        }
    }
}
