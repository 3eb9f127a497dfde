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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    void aContextThatFailsToStartAnswers503AndIsTriedAgainLater() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        ServletContextHandler console = context("/console");
        console.addServlet(initOnStart(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new ServletException("no files under /secret/path");
            }
        }), "/boot");
        console.getServletHandler().setStartWithUnavailable(false);
        HttpServer server = new HttpServer("127.0.0.1", 0);
        server.addContext(new StartOnFirstRequest(console, Duration.ofMillis(300)));
        server.start();
        try {
            HttpResponse<String> first = get(server, "/console/page");
            assertThat(first.statusCode()).isEqualTo(503);
            assertThat(first.body()).contains("/console is not available").doesNotContain("/secret/path");
            assertThat(console.isStarted()).isFalse();
            assertThat(get(server, "/console/page").statusCode()).as("not tried again at once").isEqualTo(503);
            assertThat(attempts).hasValue(1);
            Thread.sleep(400);
            assertThat(get(server, "/console/page").body()).as("tried again later").isEqualTo("console");
            assertThat(attempts).hasValue(2);
        } finally {
            server.close();
        }
    }

    @Test
    void concurrentFirstRequestsWaitForOneStart() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ServletContextHandler console = context("/console");
        console.addServlet(initOnStart(() -> {
            starts.incrementAndGet();
            starting.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "/boot");
        HttpServer server = new HttpServer("127.0.0.1", 0);
        server.addContextStartedOnFirstRequest(console);
        server.start();
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                responses.add(clients.submit(() -> get(server, "/console/page")));
            }
            assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // the other requests arrive while the start runs
            release.countDown();
            for (Future<HttpResponse<String>> response : responses) {
                assertThat(response.get(10, TimeUnit.SECONDS).body()).isEqualTo("console");
            }
            assertThat(starts).as("one start for all").hasValue(1);
        } finally {
            clients.shutdownNow();
            server.close();
        }
    }

    /** A servlet whose init (run when its context starts) runs {@code init}. */
    private static ServletHolder initOnStart(ThrowingRunnable init) {
        ServletHolder holder = new ServletHolder(new HttpServlet() {
            @Override
            public void init() throws ServletException {
                init.run();
            }
        });
        holder.setInitOrder(1);
        return holder;
    }

    private interface ThrowingRunnable {
        void run() throws ServletException;
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
