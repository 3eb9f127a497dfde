package dev.caravan.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.FieldType;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The incremental position of one partition of a stream, and which records of a new read were delivered before.
 *
 * <p>State (suffix {@code ""} or {@code ":<parent key>"}): {@code cursor} = the greatest cursor delivered; without a
 * lookback window {@code keys_at_cursor} = the primary keys of the records delivered at that cursor value; with one
 * {@code window} = {@code [cursor, key...]} of the records delivered whose cursor is within the window of the greatest.
 * The next read starts at the cursor (minus the window), inclusive, and skips the records listed: a record added later
 * with the boundary cursor value is read, none is read twice. Without a primary key (or past {@code max_keys_at_cursor}
 * listed records) nothing is listed: without a window the next read starts strictly after the cursor (a late record
 * at that value is missed), with a window it re-reads the window (duplicates); {@link #warning} says which.
 */
final class CursorWindow {
    static final String CURSOR = "cursor", KEYS_AT_CURSOR = "keys_at_cursor", WINDOW = "window";
    private static final char SEP = '\u0001';

    private final String stream;
    private final String cursorField;
    private final FieldType type;
    private final List<String> primaryKey;
    private final String lookback;
    private final int maxKeys;
    private final String suffix;
    /** Records delivered by earlier syncs (cursor + key ids); skipped. */
    private final Set<String> seenBefore = new HashSet<>();
    private final String lowerBound;
    private final boolean lowerInclusive;
    private String maxCursor;
    /** Records delivered (before and now) that the next state lists, by id; null after an overflow. */
    private Map<String, List<Object>> window = new LinkedHashMap<>();
    private boolean overflowed;

    /**
     * @param state the stream's whole state; this partition's entries end with {@code suffix}
     * @param startDate the config's start date (first sync of a time cursor), or null
     */
    CursorWindow(String stream, HttpManifest.Incremental incremental, FieldType type, List<String> primaryKey,
                 Map<String, Object> state, String suffix, String startDate) {
        this.stream = stream;
        this.cursorField = incremental.cursorField();
        this.type = type;
        this.primaryKey = primaryKey;
        this.lookback = incremental.lookback();
        this.maxKeys = incremental.maxKeysAtCursor();
        this.suffix = suffix;
        String problem = lookback == null ? null : lookbackProblem(lookback, type);
        if (problem != null) {
            throw CaravanException.config("stream " + stream + ": incremental.lookback '" + lookback + "' " + problem);
        }
        Object saved = state.get(CURSOR + suffix);
        if (saved != null) {
            maxCursor = saved.toString();
            lowerBound = lookback == null ? maxCursor : minus(maxCursor);
            boolean listed = false;
            if (state.get(KEYS_AT_CURSOR + suffix) instanceof List<?> keys) {
                listed = true;
                for (Object k : keys) {
                    List<Object> entry = new ArrayList<>();
                    entry.add(maxCursor);
                    entry.addAll((List<?>) k);
                    remember(entry);
                }
            } else if (state.get(WINDOW + suffix) instanceof List<?> entries) {
                listed = true;
                for (Object e : entries) {
                    remember(new ArrayList<>((List<?>) e));
                }
            }
            lowerInclusive = listed || lookback != null;
        } else {
            lowerBound = startDate != null && type.kind() != FieldType.Kind.INT64 && type.kind() != FieldType.Kind.FLOAT64 ? startDate : null;
            lowerInclusive = true;
        }
    }

    /** Why {@code lookback} cannot apply to a cursor of {@code type}, or null when it can. */
    static String lookbackProblem(String lookback, FieldType type) {
        try {
            switch (type.kind()) {
                case TIMESTAMP_TZ, DATE -> Duration.parse(lookback);
                case INT64 -> Long.parseLong(lookback);
                case FLOAT64 -> Double.parseDouble(lookback);
                default -> {
                    return "needs a date-time, date or number cursor, not a " + type + " one";
                }
            }
            return null;
        } catch (DateTimeParseException | NumberFormatException e) {
            return "is not " + (type.kind() == FieldType.Kind.TIMESTAMP_TZ || type.kind() == FieldType.Kind.DATE
                    ? "an ISO-8601 duration such as PT1H or P2D" : "a number") + " (the cursor is a " + type + ")";
        }
    }

    private void remember(List<Object> entry) {
        String id = id(entry);
        seenBefore.add(id);
        window.put(id, entry);
    }

    /** The value sent as the request parameter: where the read starts (inclusive), or null for everything. */
    String lowerBound() {
        return lowerBound;
    }

    /** Whether to deliver {@code record}; remembers it when delivered. */
    boolean admit(JsonNode record) {
        JsonNode c = record.get(cursorField);
        if (c == null || c.isNull()) {
            return false;
        }
        String cursor = c.asText();
        if (lowerBound != null) {
            int cmp = RecordMapper.compareCursor(cursor, lowerBound, type);
            if (cmp < 0 || cmp == 0 && !lowerInclusive) {
                return false;
            }
        }
        List<Object> entry = null;
        if (!primaryKey.isEmpty() && (!seenBefore.isEmpty() || window != null)) {
            entry = new ArrayList<>(primaryKey.size() + 1);
            entry.add(cursor);
            for (String k : primaryKey) {
                JsonNode v = record.get(k);
                entry.add(v == null || v.isNull() ? null : v.isIntegralNumber() ? (Object) v.asLong() : v.asText());
            }
            if (seenBefore.contains(id(entry))) {
                return false;
            }
        }
        int cmp = maxCursor == null ? 1 : RecordMapper.compareCursor(cursor, maxCursor, type);
        if (cmp > 0) {
            maxCursor = cursor;
            if (lookback == null && window != null) {
                window.clear();
            }
        }
        if (window != null && entry != null && (lookback != null || cmp >= 0)) {
            window.put(id(entry), entry);
            if (window.size() > maxKeys) {
                prune();
                if (window.size() > maxKeys) {
                    window = null;
                    overflowed = true;
                }
            }
        }
        return true;
    }

    /** Puts this partition's position into {@code state}. */
    void saveInto(Map<String, Object> state) {
        if (maxCursor == null) {
            return;
        }
        state.put(CURSOR + suffix, maxCursor);
        state.remove(KEYS_AT_CURSOR + suffix);
        state.remove(WINDOW + suffix);
        if (window == null || primaryKey.isEmpty()) {
            return;
        }
        prune();
        List<List<Object>> listed = new ArrayList<>(window.size());
        for (List<Object> entry : window.values()) {
            listed.add(lookback == null ? List.copyOf(entry.subList(1, entry.size())) : java.util.Collections.unmodifiableList(new ArrayList<>(entry)));
        }
        state.put(lookback == null ? KEYS_AT_CURSOR + suffix : WINDOW + suffix, listed);
    }

    /** What an operator should know about the next read of this partition, or null. */
    String warning() {
        if (maxCursor == null) {
            return null;
        }
        String what = "Stream " + stream + (suffix.isEmpty() ? "" : " (parent " + suffix.substring(1) + ")");
        String why = primaryKey.isEmpty() ? "it has no primary key" : overflowed ? "more than " + maxKeys
                + " records (incremental.max_keys_at_cursor) share the " + (lookback == null ? "last cursor value" : "lookback window") : null;
        if (why == null) {
            return null;
        }
        return lookback == null
                ? what + ": the next sync reads records whose cursor '" + cursorField + "' is greater than " + maxCursor + " because " + why
                        + "; a record added later with that cursor value is not read. Fix: declare primary_key, or raise max_keys_at_cursor."
                : what + ": the next sync re-reads the lookback window (" + lookback + ") without skipping what was read because " + why
                        + "; its records are delivered again (use incremental_append_deduped). Fix: declare primary_key, or raise max_keys_at_cursor.";
    }

    private void prune() {
        if (lookback == null || window == null || maxCursor == null) {
            return;
        }
        String from = minus(maxCursor);
        window.values().removeIf(e -> RecordMapper.compareCursor(String.valueOf(e.get(0)), from, type) < 0);
    }

    /** {@code cursor} minus the lookback window, as a cursor text. */
    private String minus(String cursor) {
        try {
            return switch (type.kind()) {
                case TIMESTAMP_TZ -> OffsetDateTime.parse(cursor).minus(Duration.parse(lookback)).toInstant().toString();
                case DATE -> LocalDate.parse(cursor).minusDays(Duration.parse(lookback).toDays()).toString();
                case INT64 -> Long.toString(Long.parseLong(cursor) - Long.parseLong(lookback));
                case FLOAT64 -> Double.toString(Double.parseDouble(cursor) - Double.parseDouble(lookback));
                default -> throw CaravanException.config("stream " + stream + ": incremental.lookback needs a date-time, date or number cursor; '"
                        + cursorField + "' is a " + type);
            };
        } catch (DateTimeParseException | NumberFormatException e) {
            throw CaravanException.config("stream " + stream + ": incremental.lookback '" + lookback + "' does not apply to cursor value '"
                    + cursor + "': write an ISO-8601 duration (PT1H, P1D) for date-time and date cursors, a number for numeric ones");
        }
    }

    private static String id(List<Object> entry) {
        StringBuilder id = new StringBuilder();
        for (Object v : entry) {
            id.append(v instanceof Number n && !(v instanceof Double || v instanceof Float) ? Long.toString(n.longValue()) : String.valueOf(v)).append(SEP);
        }
        return id.toString();
    }
}
