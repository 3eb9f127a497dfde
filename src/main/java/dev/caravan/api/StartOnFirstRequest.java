package dev.caravan.api;

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
 * with the server: a server that nobody asks for it never pays its start (unpacking, descriptors, servlets: ~200 ms
 * of a server's start here). The first request waits for the start; one that fails answers 503 with the reason, and
 * the next request tries again. Stopped with the server.
 */
final class StartOnFirstRequest extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(StartOnFirstRequest.class);
    private final ContextHandler context;

    StartOnFirstRequest(ContextHandler context) {
        super(context);
        this.context = context;
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
            try {
                startOnce();
            } catch (Exception e) {
                LOG.warn("{} could not start: {}", context.getContextPath(), e.toString());
                Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        context.getContextPath() + " could not start: " + e.getMessage());
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    private synchronized void startOnce() throws Exception {
        if (!context.isStarted()) {
            long started = System.nanoTime();
            context.start();
            LOG.info("Started {} on its first request in {} ms", context.getContextPath(), (System.nanoTime() - started) / 1_000_000);
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
