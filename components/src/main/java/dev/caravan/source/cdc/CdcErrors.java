package dev.caravan.source.cdc;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorClassifier;
import dev.caravan.spi.ErrorType;

/** Debezium's failures as Caravan errors: the classification of the cause chain, the innermost message. */
final class CdcErrors {
    private CdcErrors() {
    }

    static CaravanException engineFailed(String name, Throwable error) {
        if (error instanceof CaravanException ce) {
            return ce;
        }
        ErrorType type = ErrorClassifier.classify(error);
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root == error ? String.valueOf(error.getMessage()) : error.getMessage() + ": " + root.getMessage();
        return new CaravanException(type == ErrorType.SYSTEM ? ErrorType.TRANSIENT : type, "change data capture of " + name + " failed: " + detail, error);
    }
}
