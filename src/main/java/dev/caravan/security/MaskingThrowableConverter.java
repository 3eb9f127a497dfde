package dev.caravan.security;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback's {@code %ex} (stack traces and their messages) with the secrets of every running server masked ({@link LogMasking}); {@code %maskedEx} in the server's log pattern ({@code ConsoleLogging}) and in an operator's logback file. */
public final class MaskingThrowableConverter extends ThrowableProxyConverter {
    private LogMasking masking;

    @Override
    public void start() {
        masking = LogMasking.of(getContext());
        super.start();
    }

    @Override
    public String convert(ILoggingEvent event) {
        return masking.mask(super.convert(event));
    }
}
