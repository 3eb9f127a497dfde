package dev.caravan.security;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.caravan.spi.Secrets;

/** Logback's {@code %ex} (stack traces and their messages) with every known secret masked; {@code %maskedEx} in logback.xml. */
public final class MaskingThrowableConverter extends ThrowableProxyConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Secrets.mask(super.convert(event));
    }
}
