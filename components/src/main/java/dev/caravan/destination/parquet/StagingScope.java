package dev.caravan.destination.parquet;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The writer a staged file belongs to. {@code name} ('/'-separated, connection + stream) identifies it for storages
 * that keep staged files in a tmp area of their own (local); {@code keyPrefixes} and {@code ownsKey} say which final
 * keys its files are published at, for storages that stage at the final key itself (S3 multipart uploads).
 */
public record StagingScope(String name, List<String> keyPrefixes, Predicate<String> ownsKey) {
    public StagingScope {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ownsKey, "ownsKey");
        keyPrefixes = List.copyOf(keyPrefixes);
    }
}
