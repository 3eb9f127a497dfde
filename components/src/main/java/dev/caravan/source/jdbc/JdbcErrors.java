package dev.caravan.source.jdbc;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.ErrorClassifier;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns a failure to connect or to read into a message for the user: what went wrong, on which server, and what to do.
 * Messages never carry the password nor a stack trace; the type follows {@link ErrorClassifier} except for the connection
 * failures recognized here (unknown host, authentication, missing database: CONFIG).
 */
public final class JdbcErrors {
    private JdbcErrors() {
    }

    /** The user-facing description of a failure to connect to {@code settings}' server. */
    public static CaravanException connecting(Throwable failure, JdbcSettings settings) {
        Throwable cause = network(failure);
        String target = settings.target();
        if (cause instanceof UnknownHostException) {
            return new CaravanException(ErrorType.CONFIG, "Cannot connect to " + target + ": the host name cannot be resolved. "
                    + "Fix: check the host option.", failure);
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return new CaravanException(ErrorType.TRANSIENT, "Cannot connect to " + target + ": the connection was refused or the host "
                    + "is unreachable (" + cause.getMessage() + "). Fix: check that the server runs and that host and port are right.", failure);
        }
        if (cause instanceof SocketTimeoutException) {
            return new CaravanException(ErrorType.TRANSIENT, "Cannot connect to " + target + ": no answer within "
                    + settings.connectTimeoutSeconds() + " s. Fix: check host, port and firewalls, or raise connect_timeout_seconds.", failure);
        }
        SQLException sql = deepestSql(failure);
        if (sql != null) {
            String state = sql.getSQLState() == null ? "" : sql.getSQLState();
            String serverSays = settings.scrub(firstLine(sql.getMessage()));
            if (state.startsWith("28") || sql.getErrorCode() == 1045) {
                return new CaravanException(ErrorType.CONFIG, "Cannot connect to " + target + ": authentication failed for user '"
                        + settings.user() + "' (" + serverSays + "). Fix: check username and password.", failure);
            }
            if (state.equals("3D000") || sql.getErrorCode() == 1049) {
                return new CaravanException(ErrorType.CONFIG, "Cannot connect to " + target + ": the database does not exist ("
                        + serverSays + "). Fix: check the database option.", failure);
            }
            if (serverSays.startsWith("No suitable driver")) {
                // DriverManager: no registered driver accepts the URL
                return new CaravanException(ErrorType.CONFIG, "Cannot connect to " + target + ": no JDBC driver on the class path accepts "
                        + "this url. Fix: check the url option (jdbc:<driver>:…), or add the driver's jar and name its class in driver_class.",
                        failure);
            }
            if (state.startsWith("08") && sql.getCause() == null && serverSays.toLowerCase().contains("refused")) {
                return new CaravanException(ErrorType.TRANSIENT, "Cannot connect to " + target + ": " + serverSays
                        + ". Fix: check that the server runs and that host and port are right.", failure);
            }
            return new CaravanException(ErrorClassifier.classify(sql), "Cannot connect to " + target + ": " + serverSays
                    + (state.isEmpty() ? "" : " (SQLState " + state + ")"), failure);
        }
        return new CaravanException(ErrorClassifier.classify(failure), "Cannot connect to " + target + ": "
                + settings.scrub(ErrorClassifier.message(failure)), failure);
    }

    /** The user-facing description of a failure while running {@code what} (e.g. "reading table "public"."users""). */
    public static CaravanException during(String what, Throwable failure, JdbcSettings settings) {
        if (failure instanceof CaravanException ce) {
            return ce;
        }
        if (network(failure) != null) {
            return new CaravanException(ErrorType.TRANSIENT, "Lost the connection to " + settings.target() + " while " + what + ": "
                    + settings.scrub(firstLine(network(failure).getMessage())) + ". The sync can resume from its last checkpoint.", failure);
        }
        SQLException sql = deepestSql(failure);
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        String says = settings.scrub(firstLine(sql == null ? ErrorClassifier.message(failure) : sql.getMessage()));
        ErrorType type = ErrorClassifier.classify(failure);
        String fix = switch (type) {
            case TRANSIENT -> " The sync can resume from its last checkpoint.";
            case CONFIG -> state.equals("42501") || state.equals("42000") && says.toLowerCase().contains("denied")
                    ? " Fix: grant the user SELECT on it."
                    : " Fix: run discover and update the connection if the table or its columns changed.";
            case SYSTEM -> "";
        };
        return new CaravanException(type, settings.target() + ": failed while " + what + ": " + says
                + (state.isEmpty() ? "" : " (SQLState " + state + ")") + "." + fix, failure);
    }

    private static Throwable network(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException) {
                return t;
            }
        }
        return null;
    }

    /** The innermost SQLException that carries a SQLState: the driver's, not a pool's wrapper. */
    private static SQLException deepestSql(Throwable failure) {
        SQLException found = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && (found == null || sql.getSQLState() != null)) {
                found = sql;
            }
        }
        return found;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
