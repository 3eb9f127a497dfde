package dev.caravan.security;

import dev.caravan.spi.SecretRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.caravan.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared log masks the secrets of every attached server, until that server detaches (stops). */
class LogMaskingTest {
    private static final Logger LOG = LoggerFactory.getLogger(LogMaskingTest.class);

    @Test
    void theLogMasksTheSecretsOfEveryAttachedRegistryUntilItIsDetached() throws Exception {
        SecretRegistry one = new SecretRegistry();
        SecretRegistry two = new SecretRegistry();
        one.register("first-server-secret");
        two.register("second-server-secret");
        try (LogCapture log = new LogCapture()) {
            AutoCloseable first = LogMasking.attach(one);
            try (AutoCloseable second = LogMasking.attach(two)) {
                LOG.info("line a: first-server-secret second-server-secret");
                LOG.warn("line b", new IllegalStateException("driver says first-server-secret"));
                first.close();
                LOG.info("line c: first-server-secret second-server-secret");
            }
            LOG.info("line d: second-server-secret");
            assertThat(log.text())
                    .contains("line a: ********** **********")
                    .contains("IllegalStateException: driver says **********")
                    .contains("line c: first-server-secret **********")
                    .contains("line d: second-server-secret");
        }
    }

    @Test
    void aReconfiguredLogStillMasks() throws Exception {
        SecretRegistry registry = new SecretRegistry();
        registry.register("survives-a-reset");
        try (AutoCloseable attached = LogMasking.attach(registry)) {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.reset(); // clears the context's objects and appenders, as a reconfiguration does
            new ContextInitializer(context).autoConfig();
            try (LogCapture log = new LogCapture()) {
                LOG.info("after reset: survives-a-reset");
                assertThat(log.text()).contains("after reset: **********");
            }
        }
    }
}
