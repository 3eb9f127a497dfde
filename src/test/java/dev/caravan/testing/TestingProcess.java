package dev.caravan.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The Caravan server as a separate process, started from the runnable jar ({@code -Dcaravan.jar}, set by the failsafe
 * plugin), so a test can kill it with SIGKILL. Its output is kept (and copied to {@code <home>/server-N.log}).
 */
public final class TestingProcess implements AutoCloseable {
    private static int started;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final int port;

    public TestingProcess(Path home, String stateUrl, String... extraArgs) {
        this(home, stateUrl, java.util.Map.of(), extraArgs);
    }

    /** A server with {@code settings} given as system properties of its JVM (e.g. caravan.cluster.enabled). */
    public TestingProcess(Path home, String stateUrl, java.util.Map<String, String> settings, String... extraArgs) {
        this(home, stateUrl, "512m", settings, extraArgs);
    }

    /** A server whose JVM has {@code heap} as its maximum heap (-Xmx). */
    public TestingProcess(Path home, String stateUrl, String heap, java.util.Map<String, String> settings, String... extraArgs) {
        this.port = freePort();
        String jar = System.getProperty("caravan.jar", "target/caravan.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException(jar + " is missing: run the crash tests with `mvn verify` (they use the packaged jar)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-Dcaravan.http.port=" + port, "-Dcaravan.routes.scan-interval-ms=200", "-Dcaravan.sync.max-attempts=1",
                "-jar", jar, "serve", "--home", home.toString()));
        settings.forEach((key, value) -> command.add(command.indexOf("-jar"), "-D" + key + "=" + value));
        if (stateUrl != null) {
            command.add("--state-url");
            command.add(stateUrl);
        }
        command.addAll(List.of(extraArgs));
        Path log = home.resolve("server-" + (++started) + ".log");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "caravan-process-output");
        pump.setDaemon(true);
        pump.start();
        awaitLine("Caravan is running", Duration.ofSeconds(60));
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + port + "/api/v1";
    }

    /** Waits until the output has a line containing {@code text}; returns it. */
    public String awaitLine(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                if (line.contains(text)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited (" + process.exitValue() + ") before printing '" + text + "':\n" + String.join("\n", lines));
            }
            sleep(20);
        }
        throw new IllegalStateException("no line with '" + text + "' within " + timeout + ":\n" + String.join("\n", lines));
    }

    /** The most resident memory the process had so far (VmHWM of /proc), in KiB. */
    public long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmHWM in /proc/" + process.pid() + "/status");
    }

    public List<String> output() {
        return List.copyOf(lines);
    }

    /** SIGKILL: no shutdown hook, no flush, no cleanup — like a crash or an OOM killer. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
