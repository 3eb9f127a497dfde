package dev.caravan.source.faker;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ReadRequest;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The state of a faker stream, read from a request and written into checkpoints. Incremental reads keep
 * {@code {"cursor": <updated_at as ISO-8601 string, or the id when id is the cursor>, "id": <last id>}};
 * full refreshes keep {@code {"id": <last id>}} so that an interrupted one resumes. Reads resume strictly
 * after the state: rows whose (cursor, id) is greater, or whose cursor is greater when the state has no id.
 */
final class FakerState {
    static final String CURSOR = "cursor";
    static final String ID = "id";

    private enum Position { FULL_REFRESH, UPDATED_AT, ID }

    private final String stream;
    private final FakerConfig config;
    private final Position position;

    private FakerState(String stream, FakerConfig config, Position position) {
        this.stream = stream;
        this.config = config;
        this.position = position;
    }

    /** The state handling of {@code request}; a cursor field other than updated_at or id is a configuration error. */
    static FakerState of(ReadRequest request, FakerConfig config) {
        if (!request.syncMode().incremental()) {
            return new FakerState(request.stream(), config, Position.FULL_REFRESH);
        }
        return switch (request.cursorField()) {
            case FakerStreams.UPDATED_AT -> new FakerState(request.stream(), config, Position.UPDATED_AT);
            case FakerStreams.ID -> new FakerState(request.stream(), config, Position.ID);
            default -> throw CaravanException.config("stream '" + request.stream() + "' of the faker source cannot use '"
                    + request.cursorField() + "' as cursor; choose one of: " + String.join(", ", FakerStreams.CURSOR_FIELDS));
        };
    }

    /** The id after which reading resumes: 0 for an empty state. */
    long lastIdRead(Map<String, Object> state) {
        Long id = state.containsKey(ID) ? integral(ID, state.get(ID)) : null;
        if (position == Position.FULL_REFRESH || !state.containsKey(CURSOR)) {
            return id == null ? 0 : id;
        }
        Object cursor = state.get(CURSOR);
        if (position == Position.ID) {
            long cursorId = integral(CURSOR, cursor);
            return id != null && id < cursorId ? cursorId - 1 : cursorId;
        }
        Duration sinceStart = Duration.between(config.startDate(), instant(cursor));
        long wholeSeconds = sinceStart.getSeconds();
        boolean rowAtCursor = sinceStart.getNano() == 0;
        return rowAtCursor && id != null && id < wholeSeconds ? wholeSeconds - 1 : wholeSeconds;
    }

    /** The state that resumes strictly after row {@code lastId}. */
    Map<String, Object> checkpoint(long lastId) {
        return switch (position) {
            case FULL_REFRESH -> Map.of(ID, lastId);
            case UPDATED_AT -> Map.of(CURSOR, config.updatedAt(lastId).toString(), ID, lastId);
            case ID -> Map.of(CURSOR, lastId, ID, lastId);
        };
    }

    private Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw invalid(CURSOR, value, "an ISO-8601 instant such as " + config.startDate());
    }

    private long integral(String key, Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < Long.SIZE) {
            return big.longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw invalid(key, value, "a whole number");
    }

    private CaravanException invalid(String key, Object value, String expected) {
        return CaravanException.config("the saved state of stream '" + stream + "' has " + key + " '" + value
                + "', which is not " + expected + "; reset the stream's state to read it from the start");
    }
}
