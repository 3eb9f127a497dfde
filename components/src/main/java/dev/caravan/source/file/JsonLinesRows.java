package dev.caravan.source.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The records of a JSON Lines file: one JSON object per line, blank lines skipped. A line that is not a JSON object is
 * kept as a record with no values and a problem on {@link #RECORD}, so it is counted, not dropped.
 */
final class JsonLinesRows implements FileRows {
    static final String RECORD = "_ab_record";

    private final BufferedReader lines;
    private final RawRow.Columns columns;

    JsonLinesRows(InputStream in, RawRow.Columns columns) throws IOException {
        this.lines = new BufferedReader(TextInput.reader(in, StandardCharsets.UTF_8), Compression.BUFFER);
        this.columns = columns;
    }

    @Override
    public boolean next(RawRow row) throws IOException {
        String line;
        do {
            line = lines.readLine();
            if (line == null) {
                return false;
            }
        } while (line.isBlank());
        row.clear();
        try (JsonParser parser = JsonObjects.FACTORY.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            JsonObjects.read(parser, row, columns);
            if (parser.nextToken() != null) {
                throw new IOException("text after the object");
            }
        } catch (IOException e) {
            row.clear();
            row.problem(RECORD, dev.caravan.spi.FieldChange.NULLED);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
