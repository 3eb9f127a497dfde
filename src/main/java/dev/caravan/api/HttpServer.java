package dev.caravan.api;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.net.BindException;
import java.util.EnumSet;
import java.util.UUID;
import org.apache.camel.component.servlet.CamelHttpTransportServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one HTTP port (embedded Jetty): the REST API's Camel servlet at {@code /api/v1/*}, and what is added
 * before {@link #start}: servlets and filters on the root context ({@code /metrics}, authentication) and further
 * contexts (the Hawtio console, started on its first request).
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private final Server jetty;
    private final ServletContextHandler handler;
    private final ContextHandlerCollection contexts;
    /** Camel finds its servlet by name in a JVM-wide registry: a name of its own lets two servers run in one JVM. */
    private final String servletName = "CamelServlet-" + UUID.randomUUID();

    public HttpServer(String host, int port) {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        handler = new ServletContextHandler();
        handler.setContextPath("/");
        ServletHolder api = new ServletHolder(servletName, new CamelHttpTransportServlet());
        api.setInitOrder(1);
        handler.addServlet(api, "/api/v1/*");
        contexts = new ContextHandlerCollection(handler);
        jetty.setHandler(contexts);
    }

    /** The name of the API's Camel servlet, for the {@code servlet} component's {@code servletName}. */
    public String servletName() {
        return servletName;
    }

    public ServletContextHandler handler() {
        return handler;
    }

    public void addServlet(String pathSpec, Servlet servlet) {
        handler.addServlet(new ServletHolder(servlet), pathSpec);
    }

    /** Runs {@code filter} before the servlets of the root context that {@code pathSpecs} match. */
    public void addFilter(Filter filter, String... pathSpecs) {
        FilterHolder holder = new FilterHolder(filter);
        for (String pathSpec : pathSpecs) {
            handler.addFilter(holder, pathSpec, EnumSet.of(DispatcherType.REQUEST));
        }
    }

    /** Serves another context beside the root one. */
    public void addContext(Handler context) {
        contexts.addHandler(context);
    }

    /** Serves another context beside the root one, started on its first request (see {@link StartOnFirstRequest}). */
    public void addContextStartedOnFirstRequest(ContextHandler context) {
        contexts.addHandler(new StartOnFirstRequest(context));
    }

    public void start() {
        try {
            jetty.start();
        } catch (Exception e) {
            throw new CaravanException(e instanceof BindException || e.getCause() instanceof BindException ? ErrorType.CONFIG : ErrorType.SYSTEM,
                    "Cannot start the HTTP server on " + jetty.getURI() + ": " + e.getMessage() + "; choose another caravan.http.port", e);
        }
        LOG.info("HTTP API on http://{}:{}/api/v1 (OpenAPI: /api/v1/openapi.json)", host(), port());
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public String host() {
        String host = ((ServerConnector) jetty.getConnectors()[0]).getHost();
        return host == null ? "0.0.0.0" : host;
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the HTTP server failed: {}", e.getMessage());
        }
    }
}
