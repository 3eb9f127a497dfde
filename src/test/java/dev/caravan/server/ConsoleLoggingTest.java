package dev.caravan.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import dev.caravan.security.LogMasking;
import dev.caravan.spi.SecretRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The server's logging as the jar sets it up: format, levels, secrets masked; an operator's own file wins. */
class ConsoleLoggingTest {

    @Test
    void logsToTheConsoleWithSecretsMaskedAndCaravansLevel() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        ConsoleLogging.setUp(context, "DEBUG");
        SecretRegistry secrets = new SecretRegistry();
        secrets.register("s3cr3t-pa55");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (AutoCloseable masking = LogMasking.attach(context, secrets)) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            context.getLogger("dev.caravan.server.CaravanServer").debug("Start phases: {}", "launcher 1 ms");
            context.getLogger("dev.caravan.jobs.JobRunner").error("Cannot connect with password {}", "s3cr3t-pa55",
                    new IllegalStateException("login failed for s3cr3t-pa55"));
            context.getLogger("org.apache.camel.impl.Whatever").info("chatty");
            context.getLogger("org.apache.camel.main.MainSupport").info("Apache Camel is starting");
        } finally {
            System.setOut(out);
            context.stop();
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} DEBUG \\[main\\] d\\.c\\.server\\.CaravanServer - Start phases: launcher 1 ms$")
                .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR \\[main\\] d\\.caravan\\.jobs\\.JobRunner - Cannot connect with password \\*{10}$")
                .contains("java.lang.IllegalStateException: login failed for **********")
                .contains("Apache Camel is starting")
                .doesNotContain("s3cr3t-pa55").doesNotContain("chatty");
    }

    @Test
    void levels() {
        assertThat(ConsoleLogging.levels(null)).containsEntry("dev.caravan", Level.INFO).containsEntry("org.apache.camel", Level.WARN)
                .containsEntry("org.apache.camel.main", Level.INFO).containsEntry("org.apache.parquet", Level.WARN);
        assertThat(ConsoleLogging.levels(" debug ")).containsEntry("dev.caravan", Level.DEBUG);
        assertThat(ConsoleLogging.levels("LOUD")).as("an unknown level").containsEntry("dev.caravan", Level.INFO);
    }

    @Test
    void isLogbacksConfiguratorUnlessAFileIsGiven() {
        assertThat(ServiceLoader.load(Configurator.class)).anyMatch(ConsoleLogging.class::isInstance);
        LoggerContext context = new LoggerContext();
        ConsoleLogging logging = new ConsoleLogging();
        logging.setContext(context);
        // the tests' logback-test.xml is on the class path, as an operator's -Dlogback.configurationFile would be
        assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        assertThat(ConsoleLogging.leavesItToAFile("/etc/caravan/logback.xml", false)).isTrue();
        assertThat(ConsoleLogging.leavesItToAFile(null, true)).isTrue();
        assertThat(ConsoleLogging.leavesItToAFile(null, false)).as("the jar: no file").isFalse();
        assertThat(ConsoleLogging.leavesItToAFile(" ", false)).isFalse();
    }
}
