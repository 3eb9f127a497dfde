package dev.caravan.spi;

/** The one error taxonomy: it decides whether a failed step is retried. */
public enum ErrorType {
    /** The user must change a configuration; retrying cannot help. */
    CONFIG,
    /** The outside world hiccuped (timeout, reset, throttling); retry with backoff from the last checkpoint. */
    TRANSIENT,
    /** A defect in Caravan or a connector; report it. */
    SYSTEM
}
