package dev.caravan.source.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.caravan.spi.FieldChange;

import java.io.IOException;

/**
 * Reads one JSON object, positioned on its START_OBJECT, into a {@link RawRow}: each top-level field by name, scalars as
 * String, Long (or BigDecimal beyond 64 bits), {@link JsonNumber} (a fraction or exponent, kept as written), Boolean; an object or array as {@link JsonText}. A string that held
 * bytes invalid in UTF-8 is null with a problem.
 */
final class JsonObjects {
    static final JsonFactory FACTORY = new JsonFactory();

    private JsonObjects() {
    }

    static void read(JsonParser parser, RawRow row, RawRow.Columns columns) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            int column = columns.indexOf(name);
            JsonToken value = parser.nextToken();
            if (column < 0) {
                parser.skipChildren();
                continue;
            }
            switch (value) {
                case VALUE_STRING -> {
                    String text = parser.getText();
                    if (TextInput.invalid(text)) {
                        row.problem(name, FieldChange.NULLED);
                    } else {
                        row.set(column, text);
                    }
                }
                case VALUE_NUMBER_INT -> row.set(column, parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getDecimalValue() : (Object) parser.getLongValue());
                case VALUE_NUMBER_FLOAT -> row.set(column, new JsonNumber(parser.getText()));
                case VALUE_TRUE -> row.set(column, Boolean.TRUE);
                case VALUE_FALSE -> row.set(column, Boolean.FALSE);
                case VALUE_NULL -> row.set(column, null);
                case START_OBJECT, START_ARRAY -> row.set(column, new JsonText(structure(parser)));
                default -> throw new IOException("unexpected JSON token " + value + " at " + parser.currentLocation());
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IOException("unexpected JSON token " + token + " at " + parser.currentLocation());
        }
    }

    private static String structure(JsonParser parser) throws IOException {
        SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler());
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.copyCurrentStructure(parser);
        }
        return out.getAndClear();
    }
}
