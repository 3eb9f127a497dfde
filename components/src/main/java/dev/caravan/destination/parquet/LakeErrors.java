package dev.caravan.destination.parquet;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Turns storage failures into Caravan errors that say what could not be done, where, why and how to fix it. Local
 * file system failures are classified here; an IOException carrying a storage's own {@link CaravanException} keeps it.
 */
final class LakeErrors {
    private LakeErrors() {
    }

    static CaravanException of(String action, String where, IOException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CaravanException storage) {
                // the storage already named cause and fix (S3): keep its type and words
                return new CaravanException(storage.type(), storage.getMessage(), e);
            }
        }
        String cause = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        String head = "Cannot " + action + " " + where + " (" + cause + ").";
        if (e instanceof AccessDeniedException || message.contains("permission denied")) {
            return new CaravanException(ErrorType.CONFIG, head + " Fix: give the user running Caravan write access to the lake directory, or choose another path.", e);
        }
        if (message.contains("no space left") || message.contains("disk quota")) {
            return new CaravanException(ErrorType.CONFIG, head + " Fix: free disk space or move the lake to a larger volume.", e);
        }
        if (message.contains("read-only file system")) {
            return new CaravanException(ErrorType.CONFIG, head + " Fix: mount the volume read-write or choose another path.", e);
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException || message.endsWith("not a directory")) {
            return new CaravanException(ErrorType.CONFIG, head + " Fix: a file stands where a directory is needed; remove it or choose another path.", e);
        }
        if (e instanceof AtomicMoveNotSupportedException) {
            return new CaravanException(ErrorType.CONFIG, head + " Fix: keep the whole lake, including _airbyte_internal/tmp, on one file system.", e);
        }
        return new CaravanException(ErrorType.TRANSIENT, head, e);
    }
}
