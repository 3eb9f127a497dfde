package dev.caravan.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.jobs.SyncCoordinator;
import dev.caravan.jobs.SyncCoordinator.RunningJob;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/events/connections/<name>}: Server-Sent Events with the progress of the connection's running job,
 * once a second: event {@code progress} {@code {"job_id", "records", "records_per_second", "stream"}} while a job runs,
 * event {@code idle} {@code {"last_job_id"}} when none does (sent once per change). The stream ends after
 * {@link #MAX_OPEN} (the browser's EventSource reconnects by itself). Behind the API's authentication (role viewer).
 */
public final class JobEventsServlet extends HttpServlet {
    static final Duration MAX_OPEN = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/connections/";
    private final SyncCoordinator coordinator;

    public JobEventsServlet(SyncCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || !path.startsWith(PREFIX) || path.length() == PREFIX.length() || path.indexOf('/', PREFIX.length()) >= 0) {
            response.sendError(404);
            return;
        }
        String connection = path.substring(PREFIX.length());
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        PrintWriter out = response.getWriter();
        Instant until = Instant.now().plus(MAX_OPEN);
        long lastSent = Long.MIN_VALUE;
        try {
            while (Instant.now().isBefore(until) && !out.checkError()) {
                Optional<RunningJob> running = coordinator.running(connection);
                if (running.isPresent()) {
                    RunningJob job = running.get();
                    long records = job.job().progress().records();
                    double seconds = Math.max(1, Duration.between(job.job().startedAt(), Instant.now()).toMillis()) / 1000.0;
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("job_id", job.id());
                    view.put("records", records);
                    view.put("records_per_second", Math.round(records / seconds));
                    view.put("stream", job.job().progress().stream());
                    send(out, "progress", view);
                    lastSent = job.id();
                } else if (lastSent != 0) {
                    send(out, "idle", Map.of());
                    lastSent = 0;
                } else {
                    out.write(": keep-alive\n\n");
                    out.flush();
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(PrintWriter out, String event, Object data) throws IOException {
        out.write("event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n");
        out.flush();
    }
}
