package dev.caravan.jobs;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;

/**
 * A trigger that starts no job and records nothing: the server is stopping, or the connection is being reset or deleted.
 * A transient error: the same trigger works once that is over.
 */
public final class SyncRefusedException extends CaravanException {

    /** Why no job was started. */
    public enum Reason {
        /** The server is stopping (API: 503). */
        SERVER_STOPPING,
        /** The connection is being reset or deleted (API: 409, as for a running job). */
        CONNECTION_BUSY
    }

    private final Reason reason;

    private SyncRefusedException(Reason reason, String message) {
        super(ErrorType.TRANSIENT, message);
        this.reason = reason;
    }

    static SyncRefusedException serverStopping(String connection) {
        return new SyncRefusedException(Reason.SERVER_STOPPING, "The server is stopping: no job of connection '" + connection
                + "' was started; trigger it again when the server is back");
    }

    static SyncRefusedException busy(String connection, String activity) {
        return new SyncRefusedException(Reason.CONNECTION_BUSY, "Connection '" + connection + "' is " + activity
                + ": no job was started; trigger it again when that is done");
    }

    public Reason reason() {
        return reason;
    }
}
