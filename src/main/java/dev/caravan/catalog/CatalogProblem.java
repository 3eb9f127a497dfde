package dev.caravan.catalog;

import java.util.Objects;

/** A connector or plugin that could not be loaded, and why: reported (log, API, CLI) and skipped. */
public record CatalogProblem(String origin, String message) {
    public CatalogProblem {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return origin + ": " + message;
    }
}
