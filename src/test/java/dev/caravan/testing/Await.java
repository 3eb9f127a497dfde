package dev.caravan.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something the server does in the background (a route file loaded, refused, removed). */
public final class Await {
    private Await() {
    }

    /** Polls {@code condition} every 50 ms for up to 15 s; fails naming {@code what} when it never holds. */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
