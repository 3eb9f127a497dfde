package dev.caravan.spi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientException;

/** The one place that decides, from a failure's cause chain, whether it is a config, transient or system error. */
public final class ErrorClassifier {
    private ErrorClassifier() {
    }

    public static ErrorType classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CaravanException ce) {
                return ce.type();
            }
            if (t instanceof UnknownHostException) {
                return ErrorType.CONFIG;
            }
            if (t instanceof SocketTimeoutException || t instanceof ConnectException || t instanceof SQLTransientException) {
                return ErrorType.TRANSIENT;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("40001") || state.equals("40P01") || state.startsWith("57P")) {
                    return ErrorType.TRANSIENT;
                }
                if (state.startsWith("28") || state.startsWith("42") || state.startsWith("3D")) {
                    return ErrorType.CONFIG;
                }
            }
            if (t instanceof IOException) {
                return ErrorType.TRANSIENT;
            }
        }
        return ErrorType.SYSTEM;
    }

    /**
     * The most specific message of the chain, for users: the first CaravanException's, else the root cause's. A driver may
     * echo a password or a URL holding one: the server masks its secrets ({@code SecretRegistry}) wherever this text leaves
     * it (job history, API answers, the log).
     */
    public static String message(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CaravanException) {
                return t.getMessage();
            }
            root = t;
        }
        String text = root.getMessage();
        return text == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + text;
    }
}
