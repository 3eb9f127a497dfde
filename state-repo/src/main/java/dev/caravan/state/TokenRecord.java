package dev.caravan.state;

import java.time.Instant;
import java.util.Objects;

/** A stored API token: its name, role and the hash of its secret (never the secret itself). */
public record TokenRecord(String name, String role, String secretHash, Instant createdAt, String createdBy, Instant lastUsedAt) {
    public TokenRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
    }

    @Override
    public String toString() {
        return "TokenRecord[name=" + name + ", role=" + role + ", createdAt=" + createdAt + ", createdBy=" + createdBy + "]";
    }
}
