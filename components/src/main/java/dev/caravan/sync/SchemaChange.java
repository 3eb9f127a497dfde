package dev.caravan.sync;

import java.util.Objects;

/**
 * One difference between the schema a stream was last synced with and the one its source has now, and what the sync did
 * about it. {@code column} is null for stream-level changes; {@code from}/{@code to} are type names (null when not a
 * type change). {@code breaking} changes stop the stream until someone acts; {@code note} says what was done and, when
 * something must be done, the fix.
 */
public record SchemaChange(String stream, Kind kind, String column, String from, String to, Action action, boolean breaking, String note) {

    /** What changed. */
    public enum Kind {
        COLUMN_ADDED, COLUMN_REMOVED, TYPE_WIDENED, TYPE_CHANGED, PRIMARY_KEY_CHANGED, PRIMARY_KEY_REMOVED, CURSOR_REMOVED, STREAM_ADDED, STREAM_REMOVED
    }

    /** What the sync did with the change. */
    public enum Action {
        /** Written: the new column is read, the wider type written, the removed column kept as null, the new stream added. */
        APPLIED,
        /** Not applied by policy: the configured fields are kept. */
        IGNORED,
        /** The connection was paused because of it (policy {@code pause}). */
        PAUSED,
        /** The stream stopped because of it (a breaking change). */
        STOPPED,
        /** Only noted (nothing to apply). */
        NOTED
    }

    public SchemaChange {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(note, "note");
    }

    public SchemaChange withAction(Action value, String newNote) {
        return new SchemaChange(stream, kind, column, from, to, value, breaking, newNote);
    }

    /** A one-line summary, e.g. {@code public.users: COLUMN_ADDED email (string) APPLIED}. */
    public String summary() {
        StringBuilder text = new StringBuilder(stream).append(": ").append(kind);
        if (column != null) {
            text.append(' ').append(column);
        }
        if (from != null || to != null) {
            text.append(" (").append(from == null ? "" : from).append(from != null && to != null ? " -> " : "").append(to == null ? "" : to).append(')');
        }
        return text.append(' ').append(action).toString();
    }
}
