package dev.caravan.source.cdc;

import org.apache.kafka.connect.source.SourceRecord;

/**
 * MySQL/MariaDB: caught up when an event (a change or a heartbeat, which carries the position of the last event the
 * reader processed, whatever its table) has an offset at or past the binlog position taken when the read started; as a
 * fallback, after the configured idle time without rows once the reader streams (never during the initial snapshot,
 * which a premature end would restart). Debezium moves the offset's position only at the next transaction, so after a
 * quiet spell it is usually the idle time that ends the read.
 */
final class BinlogCatchUp implements CatchUp {
    private final BinlogServer.Position target;
    private final long idleMillis;
    private boolean streaming;

    /** {@code resumed}: the read starts from a committed offset, so it streams from the start (no snapshot). */
    BinlogCatchUp(BinlogServer.Position target, long idleMillis, boolean resumed) {
        this.target = target;
        this.idleMillis = idleMillis;
        this.streaming = resumed;
    }

    @Override
    public boolean reached(long quietMillis) {
        return streaming && quietMillis >= idleMillis;
    }

    @Override
    public boolean isEnd(SourceRecord event) {
        Object file = event.sourceOffset() == null ? null : event.sourceOffset().get("file");
        Object pos = event.sourceOffset() == null ? null : event.sourceOffset().get("pos");
        boolean snapshot = event.sourceOffset() != null && event.sourceOffset().get("snapshot") != null;
        streaming |= event.sourceOffset() != null && !snapshot;
        return !snapshot && file instanceof String f && pos instanceof Number p && new BinlogServer.Position(f, p.longValue()).compareTo(target) >= 0;
    }

    @Override
    public void close() {
    }
}
