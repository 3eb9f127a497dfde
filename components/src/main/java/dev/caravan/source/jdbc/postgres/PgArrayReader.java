package dev.caravan.source.jdbc.postgres;

import dev.caravan.source.jdbc.PartlyNulled;
import dev.caravan.source.jdbc.ValueReader;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL array read as its text ({@code col::text}) and written as JSON: nested arrays for dimensions, null for
 * NULL elements, each element by its {@link PgElement}. Elements refused by their writer become null and are reported
 * as {@link PartlyNulled} parts with their subscripts ({@code [2]}, {@code [1][3]}, honouring declared lower bounds).
 * Lower bounds themselves are not part of the JSON.
 */
final class PgArrayReader implements ValueReader {
    private final PgElement element;
    private final char delimiter;

    PgArrayReader(PgElement element, char delimiter) {
        this.element = element;
        this.delimiter = delimiter;
    }

    @Override
    public Object read(ResultSet rs, int index) throws SQLException {
        String text = rs.getString(index);
        return text == null ? null : toJson(text);
    }

    Object toJson(String text) {
        Parse parse = new Parse(text);
        return parse.nulled == null ? parse.json.toString() : new PartlyNulled(parse.json.toString(), parse.nulled);
    }

    private final class Parse {
        private final String text;
        private final StringBuilder json;
        private final StringBuilder item = new StringBuilder();
        private int pos;
        private int[] lower = new int[0];
        private int[] subscript = new int[6];
        private List<String> nulled;

        Parse(String text) {
            this.text = text;
            this.json = new StringBuilder(text.length() + 8);
            if (text.charAt(0) == '[') {
                bounds();
            }
            array(0);
        }

        /** {@code [1:2][0:3]=} before the braces: arrays whose lower bounds are not 1. */
        private void bounds() {
            List<Integer> lows = new ArrayList<>();
            while (text.charAt(pos) == '[') {
                int colon = text.indexOf(':', pos);
                lows.add(Integer.parseInt(text, pos + 1, colon, 10));
                pos = text.indexOf(']', colon) + 1;
            }
            pos++; // '='
            lower = lows.stream().mapToInt(Integer::intValue).toArray();
        }

        private void array(int depth) {
            pos++; // '{'
            json.append('[');
            subscript[depth] = depth < lower.length ? lower[depth] : 1;
            if (text.charAt(pos) == '}') {
                pos++;
                json.append(']');
                return;
            }
            while (true) {
                if (text.charAt(pos) == '{') {
                    array(depth + 1);
                } else {
                    element(depth);
                }
                char next = text.charAt(pos++);
                if (next == '}') {
                    json.append(']');
                    return;
                }
                json.append(',');
                subscript[depth]++;
            }
        }

        private void element(int depth) {
            item.setLength(0);
            boolean quoted = text.charAt(pos) == '"';
            if (quoted) {
                pos++;
                char c;
                while ((c = text.charAt(pos++)) != '"') {
                    item.append(c == '\\' ? text.charAt(pos++) : c);
                }
            } else {
                char c;
                while ((c = text.charAt(pos)) != delimiter && c != '}') {
                    item.append(c);
                    pos++;
                }
            }
            String value = item.toString();
            if (!quoted && value.equalsIgnoreCase("NULL")) {
                json.append("null");
            } else if (!element.append(value, json)) {
                json.append("null");
                if (nulled == null) {
                    nulled = new ArrayList<>(2);
                }
                StringBuilder path = new StringBuilder();
                for (int d = 0; d <= depth; d++) {
                    path.append('[').append(subscript[d]).append(']');
                }
                nulled.add(path.toString());
            }
        }
    }
}
