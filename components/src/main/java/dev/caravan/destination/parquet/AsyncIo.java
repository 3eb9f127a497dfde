package dev.caravan.destination.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * I/O work handed to another thread, and the wait for it. The wait is not cut short by an interrupt ({@code join()}
 * keeps waiting and sets the interrupt flag again afterwards): a writer must not go on, or close its files, while work
 * on them is still running. The work's {@link IOException} comes back as itself.
 */
final class AsyncIo {
    /** I/O work with a result. */
    interface Task<T> {
        T run() throws IOException;
    }

    private AsyncIo() {
    }

    static <T> CompletableFuture<T> start(Task<T> task, Executor executor) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return task.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }

    /** The work's result, or what failed it. */
    static <T> T await(CompletableFuture<T> work) throws IOException {
        try {
            return work.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
