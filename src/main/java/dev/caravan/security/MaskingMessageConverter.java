package dev.caravan.security;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.caravan.spi.Secrets;

/** Logback's {@code %msg} with every known secret masked ({@link Secrets}); used as {@code %maskedMsg} in logback.xml. */
public final class MaskingMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Secrets.mask(super.convert(event));
    }
}
