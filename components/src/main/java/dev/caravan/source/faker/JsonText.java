package dev.caravan.source.faker;

/** Appends JSON string literals to a builder: the generated JSON fields are built without a JSON library per row. */
final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** Appends {@code value} as a quoted JSON string. */
    static StringBuilder string(StringBuilder json, String value) {
        json.append('"');
        escaped(json, value);
        return json.append('"');
    }

    /** Appends the characters of {@code value} escaped for use inside a JSON string literal. */
    static StringBuilder escaped(StringBuilder json, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                json.append(c);
            }
        }
        return json;
    }
}
