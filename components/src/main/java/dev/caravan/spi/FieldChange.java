package dev.caravan.spi;

import java.util.Objects;

/**
 * A change made to one value of one record so that it could be delivered, reported in the record's
 * {@code _airbyte_meta.changes} (Airbyte's names: change NULLED or TRUNCATED, reason such as
 * SOURCE_SERIALIZATION_ERROR or DESTINATION_FIELD_SIZE_LIMITATION).
 */
public record FieldChange(String field, String change, String reason) {
    public static final String NULLED = "NULLED";
    public static final String TRUNCATED = "TRUNCATED";
    public static final String SOURCE_SERIALIZATION_ERROR = "SOURCE_SERIALIZATION_ERROR";
    public static final String DESTINATION_SERIALIZATION_ERROR = "DESTINATION_SERIALIZATION_ERROR";

    public FieldChange {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(reason, "reason");
    }
}
