package dev.caravan.security;

import dev.caravan.spi.SecretRegistry;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.Context;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The secrets masked in the lines of one logback {@link LoggerContext}: those of every running server that logs to it.
 * <p>
 * Why not one registry per log line: the log is a sink shared by everything in the JVM, and many of its lines are
 * written by library threads (HikariCP, Jetty, Quartz, the JDBC drivers) that no thread-local or MDC ties to a server.
 * So a line is masked with the secrets of every server attached to the context, which is never less safe than masking
 * with its own server's. This state belongs to the logging context (kept in its object map), not to a static field:
 * each server attaches its own {@link SecretRegistry} when it starts and detaches it when it stops, and everything else
 * a server shows (API answers, exports, job history, error messages) is masked with that server's registry only.
 */
public final class LogMasking implements LoggerContextListener {
    private static final String KEY = LogMasking.class.getName();
    private final Set<SecretRegistry> registries = ConcurrentHashMap.newKeySet();

    private LogMasking() {
    }

    /** Masks {@code registry}'s secrets in the log of this JVM's logging context until the returned handle is closed. */
    public static AutoCloseable attach(SecretRegistry registry) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext context ? attach(context, registry) : () -> { };
    }

    /** Masks {@code registry}'s secrets in the log of {@code context} until the returned handle is closed. */
    public static AutoCloseable attach(LoggerContext context, SecretRegistry registry) {
        LogMasking masking = of(context);
        masking.registries.add(registry);
        return () -> masking.registries.remove(registry);
    }

    /** The masking of a logging context, created on first use. */
    static LogMasking of(Context context) {
        context.getConfigurationLock().lock();
        try {
            Object existing = context.getObject(KEY);
            if (existing instanceof LogMasking masking) {
                return masking;
            }
            LogMasking created = new LogMasking();
            context.putObject(KEY, created);
            if (context instanceof LoggerContext loggerContext) {
                loggerContext.addListener(created); // a reset clears the object map: put back on reset
            }
            return created;
        } finally {
            context.getConfigurationLock().unlock();
        }
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }

    @Override
    public void onReset(LoggerContext context) {
        context.putObject(KEY, this);
    }

    @Override
    public void onStart(LoggerContext context) {
    }

    @Override
    public void onStop(LoggerContext context) {
    }

    @Override
    public void onLevelChange(Logger logger, Level level) {
    }

    String mask(String text) {
        String result = text;
        for (SecretRegistry registry : registries) {
            result = registry.mask(result);
        }
        return result;
    }
}
