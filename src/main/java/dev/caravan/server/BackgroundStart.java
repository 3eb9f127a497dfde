package dev.caravan.server;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A part of the server's start that runs on a thread of its own while the start goes on; {@link #await} hands over
 * what it made (or rethrows how it failed). A start that fails before it awaits the part closes the part once it is made.
 */
final class BackgroundStart<T extends AutoCloseable> {
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private BackgroundStart() {
    }

    static <T extends AutoCloseable> BackgroundStart<T> of(String threadName, Supplier<T> work) {
        BackgroundStart<T> start = new BackgroundStart<>();
        Thread thread = new Thread(() -> {
            try {
                start.result.complete(work.get());
            } catch (Throwable e) {
                start.result.completeExceptionally(e);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return start;
    }

    T await() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeWhenDone();
            throw new CaravanException(ErrorType.SYSTEM, "Server start interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CaravanException(ErrorType.SYSTEM, "Server start failed: " + cause.getMessage(), cause);
        }
    }

    /** The start failed elsewhere: what this part makes is closed once it is made. */
    void closeWhenDone() {
        result.thenAccept(made -> {
            try {
                made.close();
            } catch (Exception e) {
                // the start failed already; this is cleanup
            }
        });
    }
}
