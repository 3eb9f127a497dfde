package dev.caravan.service;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;

/** A request that cannot be served as asked: carries the HTTP status and a stable error code for API clients. */
public final class ApiException extends CaravanException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(status >= 500 ? ErrorType.SYSTEM : ErrorType.CONFIG, message);
        this.status = status;
        this.code = code;
    }

    public static ApiException notFound(String what, String name) {
        return new ApiException(404, "NOT_FOUND", what + " '" + name + "' does not exist");
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "CONFLICT", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
