package dev.caravan.source.jdbc;

/**
 * Stream names of JDBC sources are {@code <schema>.<table>} (for MySQL the database is the schema), with the names as the
 * database spells them: case, spaces and any letters are kept. Stream names end up in paths, so '/', '\' and control
 * characters are replaced by '_'. Readers find a stream's table by listing tables and comparing names, never by
 * splitting the name, so dots inside schema or table names are fine.
 */
public final class StreamNames {
    private StreamNames() {
    }

    public static String of(String schema, String table) {
        return safe(schema) + "." + safe(table);
    }

    private static String safe(String name) {
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c)) {
                if (out == null) {
                    out = new StringBuilder(name);
                }
                out.setCharAt(i, '_');
            }
        }
        return out == null ? name : out.toString();
    }
}
