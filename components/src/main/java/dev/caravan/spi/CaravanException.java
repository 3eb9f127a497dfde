package dev.caravan.spi;

import java.util.Objects;

/** Every failure Caravan reports carries its {@link ErrorType} and a message written for the user. */
public class CaravanException extends RuntimeException {
    private final ErrorType type;

    public CaravanException(ErrorType type, String message) {
        this(type, message, null);
    }

    public CaravanException(ErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = Objects.requireNonNull(type, "type");
    }

    public ErrorType type() {
        return type;
    }

    public static CaravanException config(String message) {
        return new CaravanException(ErrorType.CONFIG, message);
    }

    public static CaravanException system(String message, Throwable cause) {
        return new CaravanException(ErrorType.SYSTEM, message, cause);
    }
}
