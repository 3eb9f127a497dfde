package dev.caravan.source.cdc;

import dev.caravan.spi.CaravanException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What binlog CDC needs on a MySQL or MariaDB server, checked with one JDBC connection: the binlog on, row format, full
 * row images, a server id, and the replication privileges of the user; and the binlog position now (what a scheduled read
 * must reach).
 */
final class BinlogServer {
    private final Connection connection;
    private final String target;
    private final String user;

    BinlogServer(Connection connection, String target, String user) {
        this.connection = connection;
        this.target = target;
        this.user = user;
    }

    /** A binlog position: file name (ordered by its numeric suffix, like the server) and offset in it. */
    record Position(String file, long pos) implements Comparable<Position> {
        @Override
        public int compareTo(Position other) {
            int c = file.compareTo(other.file);
            return c != 0 ? c : Long.compare(pos, other.pos);
        }
    }

    boolean isMariaDb() throws SQLException {
        return variable("version").toLowerCase(Locale.ROOT).contains("mariadb");
    }

    List<String> problems() throws SQLException {
        List<String> problems = new ArrayList<>();
        String logBin = variable("log_bin");
        if (!"ON".equalsIgnoreCase(logBin) && !"1".equals(logBin)) {
            problems.add(target + " has the binary log off (log_bin = " + logBin + "). Fix: start the server with --log-bin (log_bin = ON in my.cnf) "
                    + "and restart it.");
        }
        String format = variable("binlog_format");
        if (!"ROW".equalsIgnoreCase(format)) {
            problems.add(target + " has binlog_format = " + format + ", but change data capture needs row events. Fix: SET GLOBAL binlog_format = 'ROW' "
                    + "and binlog_format = ROW in my.cnf.");
        }
        String image = variable("binlog_row_image");
        if (image != null && !"FULL".equalsIgnoreCase(image)) {
            problems.add(target + " has binlog_row_image = " + image + ", so updates and deletes would lack columns. Fix: SET GLOBAL binlog_row_image = "
                    + "'FULL' and binlog_row_image = FULL in my.cnf.");
        }
        String serverId = variable("server_id");
        if (serverId == null || "0".equals(serverId)) {
            problems.add(target + " has no server id (server_id = 0), so it cannot serve a binlog reader. Fix: set server_id to a unique non-zero "
                    + "number in my.cnf and restart.");
        }
        String grants = grants();
        boolean all = grants.contains("ALL PRIVILEGES ON *.*");
        if (!all && !(grants.contains("REPLICATION SLAVE") || grants.contains("REPLICATION REPLICA") || grants.contains("BINLOG REPLAY"))) {
            problems.add("User '" + user + "' lacks REPLICATION SLAVE, needed to read the binlog. Fix: GRANT REPLICATION SLAVE, REPLICATION CLIENT, "
                    + "SELECT, RELOAD ON *.* TO '" + user + "'@'%';");
        } else if (!all && !(grants.contains("REPLICATION CLIENT") || grants.contains("BINLOG MONITOR"))) {
            problems.add("User '" + user + "' lacks REPLICATION CLIENT (BINLOG MONITOR on MariaDB), needed to read the binlog position. Fix: GRANT "
                    + "REPLICATION CLIENT ON *.* TO '" + user + "'@'%';");
        }
        return problems;
    }

    void requireReady() throws SQLException {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw CaravanException.config(String.join(" ", problems));
        }
    }

    Position currentPosition() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(isMariaDb() ? "SHOW BINLOG STATUS" : "SHOW MASTER STATUS")) {
            if (!rs.next()) {
                throw CaravanException.config(target + " reports no binlog position. Fix: enable the binary log (--log-bin) and restart the server.");
            }
            return new Position(rs.getString(1), rs.getLong(2));
        }
    }

    private String grants() throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                all.append(rs.getString(1).toUpperCase(Locale.ROOT)).append('\n');
            }
        }
        return all.toString();
    }

    private String variable(String name) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }
}
