package dev.caravan.source.cdc;

import dev.caravan.spi.CaravanException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What logical replication needs on the PostgreSQL server, checked with one JDBC connection: the server settings and
 * role attributes ({@link #problems}), and the slots Caravan owns (find, advance to a durable position, drop).
 */
final class PgReplication {
    private final Connection connection;
    private final PgCdcSettings settings;

    PgReplication(Connection connection, PgCdcSettings settings) {
        this.connection = connection;
        this.settings = settings;
    }

    /** A slot as {@code pg_replication_slots} shows it: the process using it (null when free) and its confirmed position. */
    record Slot(String name, String plugin, Integer activePid, String confirmedFlushLsn) {
    }

    /** Everything that keeps CDC from working, each with its fix; empty when the server is ready. */
    List<String> problems() throws SQLException {
        List<String> problems = new ArrayList<>();
        String walLevel = setting("wal_level");
        if (!"logical".equals(walLevel)) {
            problems.add(settings.jdbc().target() + " has wal_level = " + walLevel + ", but change data capture needs logical decoding. Fix: set "
                    + "wal_level = logical in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart the server.");
        }
        if (Integer.parseInt(setting("max_replication_slots")) < 1) {
            problems.add(settings.jdbc().target() + " has max_replication_slots = 0. Fix: set max_replication_slots to at least the number of "
                    + "CDC streams (plus other replication clients) and restart the server.");
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
            if (rs.next() && !rs.getBoolean(1)) {
                problems.add("User '" + settings.jdbc().user() + "' lacks the REPLICATION attribute needed to read the write-ahead log. "
                        + "Fix: ALTER ROLE \"" + settings.jdbc().user() + "\" WITH REPLICATION; (as a superuser), or connect as a user that has it.");
            }
        }
        return problems;
    }

    /** Throws a CONFIG error with every problem found; returns when the server is ready. */
    void requireReady() throws SQLException {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw CaravanException.config(String.join(" ", problems));
        }
    }

    Optional<Slot> slot(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT slot_name, plugin, active_pid, confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int pid = rs.getInt(3);
                Integer activePid = rs.wasNull() ? null : pid;
                return Optional.of(new Slot(rs.getString(1), rs.getString(2), activePid, rs.getString(4)));
            }
        }
    }

    /** Slots whose names start with the configured prefix that another process is using now. */
    List<Slot> slotsInUse() throws SQLException {
        List<Slot> inUse = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT slot_name, plugin, active_pid, confirmed_flush_lsn::text FROM pg_replication_slots WHERE active_pid IS NOT NULL "
                        + "AND slot_name LIKE ? || '\\_%'")) {
            ps.setString(1, settings.slotPrefix());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inUse.add(new Slot(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
                }
            }
        }
        return inUse;
    }

    static String inUseMessage(Slot slot) {
        return "Replication slot " + slot.name() + " is in use by server process " + slot.activePid() + " (another sync of this stream, or "
                + "another client). Fix: wait for that sync to end, or end the process (SELECT pg_terminate_backend(" + slot.activePid()
                + ")) if it is stale.";
    }

    /**
     * Confirms to the server that the log up to {@code lsn} is no longer needed by the slot (so the server can recycle it):
     * called with the position of the last durable change only. A position at or before the slot's is a no-op.
     */
    void advance(String slot, long lsn) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT pg_replication_slot_advance(?, ?::pg_lsn) FROM pg_replication_slots WHERE slot_name = ? AND confirmed_flush_lsn < ?::pg_lsn")) {
            String text = lsnText(lsn);
            ps.setString(1, slot);
            ps.setString(2, text);
            ps.setString(3, slot);
            ps.setString(4, text);
            ps.executeQuery().close();
        }
    }

    void drop(String slot) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            ps.executeQuery().close();
        }
    }

    void dropPublication(String publication) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP PUBLICATION IF EXISTS \"" + publication + "\"");
        }
    }

    /** The position up to which the server has flushed its log now: what a scheduled read must reach. */
    long currentFlushLsn() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How far the server has sent the log to the slot's active reader; empty while no reader streams from it. */
    Optional<Long> sentLsn(String slot) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT (r.sent_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots s "
                + "JOIN pg_stat_replication r ON r.pid = s.active_pid WHERE s.slot_name = ? AND r.sent_lsn IS NOT NULL")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private String setting(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT current_setting(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    static String lsnText(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
