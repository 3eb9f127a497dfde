package dev.caravan.destination.parquet;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.caravan.spi.FieldChange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.parquet.io.api.Binary;

/**
 * The {@code _airbyte_meta} value of a row: {@code {"sync_id":<job>,"changes":[{"field","change","reason"}...]}}.
 * Rows without changes, nearly all of them, share one precomputed value.
 */
final class AirbyteMeta {
    private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

    private final String head;
    private final Binary noChanges;

    AirbyteMeta(long syncId) {
        this.head = "{\"sync_id\":" + syncId + ",\"changes\":[";
        this.noChanges = Binary.fromConstantByteArray((head + "]}").getBytes(StandardCharsets.UTF_8));
    }

    Binary noChanges() {
        return noChanges;
    }

    /** The value for a row with changes made by the source, then by this destination (either list may be empty). */
    Binary withChanges(List<FieldChange> source, List<FieldChange> destination) {
        StringBuilder json = new StringBuilder(head.length() + 96 * (source.size() + destination.size()));
        json.append(head);
        boolean first = true;
        for (List<FieldChange> changes : List.of(source, destination)) {
            for (FieldChange change : changes) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                json.append("{\"field\":\"").append(JSON.quoteAsString(change.field()))
                        .append("\",\"change\":\"").append(JSON.quoteAsString(change.change()))
                        .append("\",\"reason\":\"").append(JSON.quoteAsString(change.reason())).append("\"}");
            }
        }
        return Binary.fromConstantByteArray(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }
}
