package dev.caravan.sync;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;

/**
 * A trigger that starts no job and records nothing, because the server is stopping. A transient error: the same
 * trigger works once the server runs again.
 */
public final class SyncRefusedException extends CaravanException {

    SyncRefusedException(String message) {
        super(ErrorType.TRANSIENT, message);
    }

    static SyncRefusedException serverStopping(String connection) {
        return new SyncRefusedException("The server is stopping: no job of connection '" + connection
                + "' was started; trigger it again when the server is back");
    }
}
