package dev.caravan.source.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The records of a JSON file: a top-level array of objects (streamed, never held whole) or a single object. JSON that is
 * broken makes the rest of the file unreadable (an IOException naming the place).
 */
final class JsonArrayRows implements FileRows {
    private final JsonParser parser;
    private final RawRow.Columns columns;
    private final boolean array;
    private boolean done;

    JsonArrayRows(InputStream in, RawRow.Columns columns) throws IOException {
        this.parser = JsonObjects.FACTORY.createParser(TextInput.reader(in, StandardCharsets.UTF_8));
        this.columns = columns;
        JsonToken first;
        try {
            first = parser.nextToken();
        } catch (IOException | RuntimeException e) {
            parser.close();
            throw e;
        }
        if (first == null) {
            done = true;
            array = false;
        } else if (first == JsonToken.START_ARRAY || first == JsonToken.START_OBJECT) {
            array = first == JsonToken.START_ARRAY;
        } else {
            parser.close();
            throw new IOException("a JSON file must hold an array of objects or one object, not " + first);
        }
    }

    @Override
    public boolean next(RawRow row) throws IOException {
        if (done) {
            return false;
        }
        row.clear();
        if (!array) {
            done = true;
            JsonObjects.read(parser, row, columns);
            requireEnd();
            return true;
        }
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            done = true;
            requireEnd();
            return false;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new IOException("expected an object in the array, found " + token + " at " + parser.currentLocation());
        }
        JsonObjects.read(parser, row, columns);
        return true;
    }

    /** Nothing may follow the array or the object: several objects in a row are JSON Lines, not one JSON document. */
    private void requireEnd() throws IOException {
        JsonToken after = parser.nextToken();
        if (after != null) {
            throw new IOException("found " + after + " after the end of the JSON " + (array ? "array" : "object") + " at "
                    + parser.currentLocation() + ": a file of one object per line is format jsonl");
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
