package dev.caravan.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.caravan.security.MaskingMessageConverter;
import dev.caravan.security.MaskingThrowableConverter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Caravan's logging, set up in code (found by logback as a service) rather than from a {@code logback.xml}, whose XML
 * parsing was a noticeable part of every start: one console appender, known secrets masked in messages and stack traces
 * ({@code %maskedMsg}, {@code %maskedEx}), Caravan at {@code -Dcaravan.log.level} (default INFO), chatty libraries at WARN.
 * An operator's own file ({@code -Dlogback.configurationFile=...}), or a {@code logback-test.xml} on the class path, is
 * used instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %maskedMsg%n%maskedEx";
    static final String LEVEL_PROPERTY = "caravan.log.level";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (leavesItToAFile(System.getProperty("logback.configurationFile"), ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        setUp(context, System.getProperty(LEVEL_PROPERTY));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether logback's own configurator should read a file: one the operator named, or the tests' {@code logback-test.xml}. */
    static boolean leavesItToAFile(String configurationFileProperty, boolean testFileOnClassPath) {
        return (configurationFileProperty != null && !configurationFileProperty.isBlank()) || testFileOnClassPath;
    }

    static void setUp(LoggerContext context, String caravanLevel) {
        maskingConversionWords(context);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        levels(caravanLevel).forEach((logger, level) -> context.getLogger(logger).setLevel(level));
    }

    /** The level of each logger below the root's INFO; Caravan's own at {@code caravanLevel} (INFO when blank or unknown). */
    static Map<String, Level> levels(String caravanLevel) {
        Map<String, Level> levels = new LinkedHashMap<>();
        levels.put("dev.caravan", Level.toLevel(caravanLevel == null ? null : caravanLevel.trim(), Level.INFO));
        levels.put("org.apache.camel", Level.WARN);
        levels.put("org.apache.camel.main", Level.INFO);
        levels.put("org.flywaydb", Level.WARN);
        levels.put("com.zaxxer.hikari", Level.WARN);
        levels.put("org.quartz", Level.WARN);
        levels.put("org.apache.parquet", Level.WARN);
        return levels;
    }

    @SuppressWarnings("unchecked")
    private static void maskingConversionWords(LoggerContext context) {
        Map<String, Supplier<DynamicConverter<?>>> rules = (Map<String, Supplier<DynamicConverter<?>>>) context.getObject(
                CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
        if (rules == null) {
            rules = new HashMap<>();
            context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        }
        rules.put("maskedMsg", MaskingMessageConverter::new);
        rules.put("maskedEx", MaskingThrowableConverter::new);
    }
}
