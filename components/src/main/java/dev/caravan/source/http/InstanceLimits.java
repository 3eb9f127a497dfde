package dev.caravan.source.http;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The request rate and concurrency limits of one connector instance, shared by all its readers (every stream, every
 * thread) in this process. An instance is a source config: sources with identical manifests, base URLs and option values
 * (credentials included) share one limit, as the API would count them as one client.
 */
final class InstanceLimits {
    private static final Map<String, InstanceLimits> INSTANCES = new ConcurrentHashMap<>();

    private final long intervalNanos;
    private final Semaphore inFlight;
    private long nextSlotNanos;

    private InstanceLimits(double requestsPerSecond, int maxConcurrent) {
        this.intervalNanos = requestsPerSecond > 0 ? (long) (1e9 / requestsPerSecond) : 0;
        this.inFlight = maxConcurrent > 0 ? new Semaphore(maxConcurrent, true) : null;
    }

    static InstanceLimits of(HttpConfig config) {
        HttpManifest.Requester r = config.manifest().requester();
        if (r.requestsPerSecond() <= 0 && r.maxConcurrentRequests() <= 0) {
            return new InstanceLimits(0, 0);
        }
        String key = config.manifest().file() + '\n' + config.baseUrl() + '\n' + config.values().values().hashCode() + '\n'
                + r.requestsPerSecond() + '\n' + r.maxConcurrentRequests();
        return INSTANCES.computeIfAbsent(key, k -> new InstanceLimits(r.requestsPerSecond(), r.maxConcurrentRequests()));
    }

    /** Waits for a request slot (concurrency first, then the rate); {@link #release} when the response is closed. */
    void acquire() {
        try {
            if (inFlight != null) {
                inFlight.acquire();
            }
            if (intervalNanos > 0) {
                long wait;
                synchronized (this) {
                    long now = System.nanoTime();
                    long slot = Math.max(now, nextSlotNanos);
                    nextSlotNanos = slot + intervalNanos;
                    wait = slot - now;
                }
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            release();
            Thread.currentThread().interrupt();
            throw new CaravanException(ErrorType.TRANSIENT, "interrupted while waiting for a request slot");
        }
    }

    /** A {@link #release} that runs once however often it is called (a response may be closed twice). */
    Runnable releaser() {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                release();
            }
        };
    }

    void release() {
        if (inFlight != null) {
            inFlight.release();
        }
    }
}
