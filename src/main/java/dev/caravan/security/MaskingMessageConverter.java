package dev.caravan.security;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback's {@code %msg} with the secrets of every running server masked ({@link LogMasking}); used as {@code %maskedMsg} in the server's log pattern ({@code ConsoleLogging}) and in an operator's logback file. */
public final class MaskingMessageConverter extends MessageConverter {
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
