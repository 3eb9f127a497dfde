package dev.caravan.source.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Parses one page as a token stream: the records at a JSON pointer are handed over one by one (a tree per record,
 * never one for the page), and the scalars at the other pointers asked for (next cursor, has_more) are captured.
 */
final class PageParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private PageParser() {
    }

    /** Returns the captured scalars by pointer (absent ones missing); fails naming the URL, line and column of bad JSON. */
    static Map<String, String> parse(String url, InputStream body, String recordsPointer, Set<String> captured, Consumer<JsonNode> records) {
        Map<String, String> values = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new CaravanException(ErrorType.TRANSIENT, "GET " + url + ": empty body where a JSON page was expected");
            }
            walk(parser, "", recordsPointer, captured, values, records);
            if (parser.nextToken() != null) {
                throw malformed(url, parser.currentLocation(), "content after the end of the JSON document");
            }
        } catch (JsonProcessingException e) {
            throw malformed(url, e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new CaravanException(ErrorType.TRANSIENT, "GET " + url + ": body cut off: " + e, e);
        }
        return values;
    }

    private static void walk(JsonParser parser, String pointer, String recordsPointer, Set<String> captured,
                             Map<String, String> values, Consumer<JsonNode> records) throws IOException {
        JsonToken token = parser.currentToken();
        if (pointer.equals(recordsPointer) && token == JsonToken.START_ARRAY) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() == null) {
                    throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected end of input inside the records array");
                }
                records.accept(JSON.readTree(parser));
            }
            return;
        }
        if (token == JsonToken.START_OBJECT && recordsPointer.startsWith(pointer) || token == JsonToken.START_OBJECT && wantsBelow(pointer, captured)) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String child = pointer + "/" + parser.currentName().replace("~", "~0").replace("/", "~1");
                parser.nextToken();
                walk(parser, child, recordsPointer, captured, values, records);
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected end of input inside an object");
            }
            return;
        }
        if (token.isScalarValue()) {
            if (captured.contains(pointer) && token != JsonToken.VALUE_NULL) {
                values.put(pointer, parser.getText());
            }
            return;
        }
        parser.skipChildren();
        if (parser.currentToken() == null) {
            throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected end of input");
        }
    }

    private static boolean wantsBelow(String pointer, Set<String> captured) {
        for (String p : captured) {
            if (p.startsWith(pointer + "/")) {
                return true;
            }
        }
        return false;
    }

    private static CaravanException malformed(String url, JsonLocation at, String what) {
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr() + " (byte " + at.getByteOffset() + ")";
        return new CaravanException(ErrorType.TRANSIENT, "GET " + url + ": malformed JSON page" + where + ": " + what
                + "; no record of this page was delivered and the state was not advanced");
    }
}
