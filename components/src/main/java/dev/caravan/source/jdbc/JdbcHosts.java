package dev.caravan.source.jdbc;

import dev.caravan.spi.ConfigProblem;
import java.util.List;

/** Checks of host names and their form inside JDBC URLs. */
public final class JdbcHosts {
    private JdbcHosts() {
    }

    /** The host as a URL authority part (IPv6 literals in brackets), or null after recording why it is unusable. */
    public static String forUrl(String host, List<ConfigProblem> problems) {
        String trimmed = host.strip();
        if (trimmed.isEmpty() || trimmed.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '?' || c == '@' || c == '#')) {
            problems.add(new ConfigProblem("host", host, "write a host name or IP address alone, without scheme, port, path or spaces"));
            return null;
        }
        return trimmed.indexOf(':') >= 0 && !trimmed.startsWith("[") ? "[" + trimmed + "]" : trimmed;
    }
}
