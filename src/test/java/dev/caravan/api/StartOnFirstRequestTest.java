package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/** A context added with {@link HttpServer#addContextStartedOnFirstRequest} on a real Jetty: started by the first request to its path. */
class StartOnFirstRequestTest {
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void theContextStartsOnItsFirstRequestOnlyAndStopsWithTheServer() throws Exception {
        ServletContextHandler console = context("/console");
        HttpServer server = new HttpServer("127.0.0.1", 0);
        server.addServlet("/hello", new Text("root"));
        server.addContextStartedOnFirstRequest(console);
        server.start();
        try {
            assertThat(console.isStarted()).as("not started with the server").isFalse();
            assertThat(get(server, "/hello").body()).isEqualTo("root");
            assertThat(get(server, "/consoles").statusCode()).as("another path").isEqualTo(404);
            assertThat(console.isStarted()).as("requests to other paths leave it alone").isFalse();

            HttpResponse<String> first = get(server, "/console/page");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("console");
            assertThat(console.isStarted()).isTrue();
            assertThat(get(server, "/console/page").body()).isEqualTo("console");
        } finally {
            server.close();
        }
        assertThat(console.isStopped()).as("stopped with the server").isTrue();
    }

    @Test
    void aContextThatFailsToStartAnswers503AndIsTriedAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        ServletContextHandler console = context("/console");
        ServletHolder failing = new ServletHolder(new HttpServlet() {
            @Override
            public void init() throws ServletException {
                if (attempts.incrementAndGet() == 1) {
                    throw new ServletException("no files");
                }
            }
        });
        failing.setInitOrder(1);
        console.addServlet(failing, "/boot");
        console.getServletHandler().setStartWithUnavailable(false);
        HttpServer server = new HttpServer("127.0.0.1", 0);
        server.addContextStartedOnFirstRequest(console);
        server.start();
        try {
            HttpResponse<String> first = get(server, "/console/page");
            assertThat(first.statusCode()).isEqualTo(503);
            assertThat(first.body()).contains("/console could not start").contains("no files");
            assertThat(get(server, "/console/page").body()).as("the next request starts it").isEqualTo("console");
            assertThat(console.isStarted()).isTrue();
        } finally {
            server.close();
        }
    }

    private static ServletContextHandler context(String path) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(path);
        context.addServlet(new ServletHolder(new Text("console")), "/page");
        return context;
    }

    private HttpResponse<String> get(HttpServer server, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final class Text extends HttpServlet {
        private final String text;

        Text(String text) {
            this.text = text;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write(text);
        }
    }
}
