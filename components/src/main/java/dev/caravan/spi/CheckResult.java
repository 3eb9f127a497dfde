package dev.caravan.spi;

/** The outcome of {@code check}: succeeded, or failed with a message that names the cause and the fix. */
public record CheckResult(boolean succeeded, String message) {
    public static CheckResult ok() {
        return new CheckResult(true, "ok");
    }

    public static CheckResult failed(String message) {
        return new CheckResult(false, message);
    }
}
