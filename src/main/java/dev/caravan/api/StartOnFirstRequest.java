package dev.caravan.api;

import java.time.Duration;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A context (a web application such as the Hawtio console) that starts when its path is first requested instead of
 * with the server: a server nobody opens it on never pays its start (the Hawtio console: ~0.3 s of a server's start
 * here). Concurrent first requests wait for one start. A start that fails is undone (the context stopped) and logged;
 * requests get 503 without details, and the next start is tried at most every {@link #RETRY} (a start costs and
 * anyone may ask). Stopped with the server; never started once the server stops.
 */
final class StartOnFirstRequest extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(StartOnFirstRequest.class);
    static final Duration RETRY = Duration.ofSeconds(10);
    private final ContextHandler context;
    private final Duration retry;
    /** When a failed start may be tried again (System.nanoTime); guarded by this. */
    private long retryAt;
    private boolean failedBefore;

    StartOnFirstRequest(ContextHandler context) {
        this(context, RETRY);
    }

    StartOnFirstRequest(ContextHandler context, Duration retry) {
        super(context);
        this.context = context;
        this.retry = retry;
        // not started with this wrapper (ContainerLifeCycle starts only the beans it manages): on the first request
        unmanage(context);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!context.isStarted()) {
            String path = request.getHttpURI().getCanonicalPath();
            if (path == null || context.getContext().getPathInContext(path) == null) {
                return false; // not this context's request: it stays unstarted
            }
            if (!startOnce()) {
                Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        context.getContextPath() + " is not available; the server log says why");
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    /** Starts the context unless it runs already; false when it cannot run (now). */
    private synchronized boolean startOnce() {
        if (context.isStarted()) {
            return true;
        }
        if (!isRunning() || failedBefore && System.nanoTime() - retryAt < 0) {
            return false; // the server is stopping, or a start failed moments ago
        }
        long started = System.nanoTime();
        try {
            context.start();
            LOG.info("Started {} on its first request in {} ms", context.getContextPath(), (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (Throwable e) {
            failedBefore = true;
            retryAt = System.nanoTime() + retry.toNanos();
            LOG.warn("{} could not start (tried again on a request from {} s on): {}", context.getContextPath(), retry.toSeconds(), e.toString(), e);
            try {
                context.stop(); // what did start (class loader, listeners, MBeans) goes, so that a later start begins afresh
            } catch (Throwable stopping) {
                LOG.debug("Stopping {} after its failed start: {}", context.getContextPath(), stopping.toString());
            }
            return false;
        }
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (context.isStarted()) {
                context.stop();
            }
        }
        super.doStop();
    }
}
