package dev.caravan.testing;

/** A Camel YAML step for a stream route that fails the sync on one batch: the stop/resume tests' fault injector. */
public final class FaultStep {
    private FaultStep() {
    }

    /**
     * The step (indented for a route's {@code from.steps}) throwing "injected fault" on batch {@code batchIndex}, or
     * nothing when {@code faulty} is false.
     */
    public static String onBatch(int batchIndex, boolean faulty) {
        return !faulty ? "" : """
                        - filter:
                            simple: "${header.CaravanBatchIndex} == %d"
                            steps:
                              - throwException:
                                  exceptionType: java.lang.IllegalStateException
                                  message: injected fault
                """.formatted(batchIndex);
    }
}
