package dev.caravan.e2e;

import dev.caravan.camel.source.CaravanSourceConsumer;
import java.util.function.LongConsumer;
import org.apache.camel.Header;

/**
 * A route step for tests ({@code bean: {beanType: dev.caravan.e2e.S3Hooks, method: batch}}): calls the hook a test set
 * with the index of each batch, e.g. to read the bucket mid-sync or to stop the S3 server.
 */
public class S3Hooks {
    private static volatile LongConsumer hook = index -> { };

    public static void set(LongConsumer onBatch) {
        hook = onBatch;
    }

    public static void clear() {
        hook = index -> { };
    }

    public void batch(@Header(CaravanSourceConsumer.HEADER_BATCH_INDEX) long index) {
        hook.accept(index);
    }
}
