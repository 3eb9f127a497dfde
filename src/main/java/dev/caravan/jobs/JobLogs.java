package dev.caravan.jobs;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.caravan.spi.SecretRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Each job's own log: the lines logged on a job's thread (the MDC carries the job and its attempt) are also appended,
 * masked of this server's secrets, to {@code <dir>/<job id>.log}. Bounded: a job's log stops at {@link #MAX_BYTES}
 * (a last line says so), and only the newest {@link #KEEP} job logs are kept. Lines that library threads write for a job
 * (e.g. parallel Parquet encoders) are not in it; the server log has everything.
 */
public final class JobLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    public static final String MDC_JOB = "caravan.job";
    public static final String MDC_ATTEMPT = "caravan.attempt";
    static final long MAX_BYTES = 2L * 1024 * 1024;
    static final int KEEP = 1000;

    private final Path directory;
    private final String scope;
    private final SecretRegistry secrets;

    private JobLogs(Path directory, String scope, SecretRegistry secrets) {
        this.directory = directory;
        this.scope = scope + ":";
        this.secrets = secrets;
    }

    /** Starts capturing the job lines of {@code coordinator} into {@code directory}, until closed. */
    public static JobLogs attach(Path directory, SyncCoordinator coordinator, SecretRegistry secrets) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the job log directory " + directory, e);
        }
        JobLogs logs = new JobLogs(directory, coordinator.logScope(), secrets);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            logs.setContext(context);
            logs.setName("caravan-job-logs-" + coordinator.logScope());
            logs.start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
        }
        return logs;
    }

    /** The captured log of a job, empty when nothing was captured (or it was pruned). */
    public Optional<String> read(long jobId) {
        Path file = directory.resolve(jobId + ".log");
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        String job = mdc.get(MDC_JOB);
        if (job == null || !job.startsWith(scope)) {
            return;
        }
        String id = job.substring(scope.length());
        StringBuilder line = new StringBuilder().append(Instant.ofEpochMilli(event.getTimeStamp())).append(' ').append(event.getLevel())
                .append(" [attempt ").append(mdc.getOrDefault(MDC_ATTEMPT, "1")).append("] ")
                .append(event.getLoggerName().substring(event.getLoggerName().lastIndexOf('.') + 1)).append(" - ").append(event.getFormattedMessage());
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            line.append(System.lineSeparator()).append(ThrowableProxyUtil.asString(error));
        }
        line.append(System.lineSeparator());
        write(directory.resolve(id + ".log"), secrets.mask(line.toString()));
    }

    private synchronized void write(Path file, String text) {
        try {
            boolean fresh = !Files.exists(file);
            long size = fresh ? 0 : Files.size(file);
            if (size >= MAX_BYTES) {
                return;
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (size + bytes.length > MAX_BYTES) {
                bytes = ("... the job's log stops here: it reached " + MAX_BYTES + " bytes; the server log has the rest" + System.lineSeparator())
                        .getBytes(StandardCharsets.UTF_8);
            }
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (fresh) {
                prune();
            }
        } catch (IOException e) {
            addWarn("cannot write the job log " + file + ": " + e.getMessage());
        }
    }

    /** Keeps the newest {@link #KEEP} job logs (by job id). */
    private void prune() throws IOException {
        List<Path> logs;
        try (Stream<Path> files = Files.list(directory)) {
            logs = files.filter(f -> f.getFileName().toString().matches("\\d+\\.log")).sorted(Comparator.comparingLong(JobLogs::idOf).reversed()).toList();
        }
        for (Path old : logs.subList(Math.min(KEEP, logs.size()), logs.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static long idOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - ".log".length()));
    }

    @Override
    public void close() {
        if (getContext() instanceof LoggerContext context) {
            Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(this);
        }
        stop();
    }
}
