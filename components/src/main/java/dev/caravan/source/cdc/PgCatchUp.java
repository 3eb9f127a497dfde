package dev.caravan.source.cdc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: once the slot's reader streams, a transactional logical decoding message with a token of this read is
 * written into the log (pg_logical_emit_message); every change committed before it comes before it in the log, so the
 * read is caught up when Debezium delivers that message. Where the message cannot be written (no EXECUTE right, or a
 * server that does not decode messages), the read ends once the server has sent the log past its flush position at
 * the start and no row arrived for the configured idle time.
 */
final class PgCatchUp implements CatchUp {
    static final String MESSAGE_PREFIX = "caravan-catch-up";
    private static final Logger LOG = LoggerFactory.getLogger(PgCatchUp.class);
    /** A marker that never arrives (e.g. filtered by a server setting) ends the read after this long without rows. */
    private static final long MARKER_TIMEOUT_MILLIS = 60_000;

    private final PgCdcSettings settings;
    private final String slot;
    private final long target;
    private final byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    private Connection connection;
    private boolean markerWritten;
    private boolean withoutMarker;

    PgCatchUp(PgCdcSettings settings, String slot, long target) {
        this.settings = settings;
        this.slot = slot;
        this.target = target;
    }

    @Override
    public boolean reached(long quietMillis) {
        long idle = settings.idleSeconds() * 1000L;
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(settings.jdbc().url(), settings.jdbc().connectionProperties());
            }
            if (markerWritten) {
                return quietMillis >= MARKER_TIMEOUT_MILLIS;
            }
            Optional<Long> sent = new PgReplication(connection, settings).sentLsn(slot);
            if (sent.isEmpty()) {
                return false;
            }
            if (!withoutMarker) {
                writeMarker();
                return false;
            }
            return sent.get() >= target && quietMillis >= idle;
        } catch (SQLException e) {
            LOG.warn("Could not ask {} how far slot {} was read ({}); ending the read after the idle time", settings.jdbc().target(), slot,
                    settings.jdbc().scrub(e.getMessage()));
            return quietMillis >= idle;
        }
    }

    private void writeMarker() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_logical_emit_message(true, ?, ?::bytea)")) {
            ps.setString(1, MESSAGE_PREFIX);
            ps.setBytes(2, token);
            ps.executeQuery().close();
            markerWritten = true;
        } catch (SQLException e) {
            withoutMarker = true;
            LOG.warn("Could not write the catch-up marker of slot {} into the log of {} ({}); the sync ends after {} s without changes instead. "
                    + "Fix: GRANT EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, bytea) TO the user.", slot, settings.jdbc().target(),
                    settings.jdbc().scrub(e.getMessage()), settings.idleSeconds());
        }
    }

    @Override
    public boolean isEnd(SourceRecord event) {
        if (!markerWritten || !(event.value() instanceof Struct value) || value.schema().field("message") == null) {
            return false;
        }
        Struct message = value.getStruct("message");
        if (message == null || !MESSAGE_PREFIX.equals(message.getString("prefix"))) {
            return false;
        }
        Object content = message.get("content");
        byte[] bytes = content instanceof ByteBuffer buffer ? toArray(buffer) : (byte[]) content;
        return Arrays.equals(bytes, token);
    }

    private static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // only used for progress queries
            }
        }
    }
}
