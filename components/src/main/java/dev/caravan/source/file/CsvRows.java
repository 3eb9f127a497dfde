package dev.caravan.source.file;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.caravan.spi.FieldChange;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a CSV file, parsed by Jackson's streaming CSV parser (quoted fields may hold delimiters, quotes and
 * newlines). The header (or the declared column names) maps each position to a column; a record with fewer values than
 * columns gets nulls for the missing ones and one with more has its extra values dropped, each noted as a problem.
 * A value equal to a null marker is null; a value that held bytes invalid in the charset is null with a problem.
 */
final class CsvRows implements FileRows {
    static final String EXTRA_VALUES = "_ab_extra_values";
    private static final CsvFactory FACTORY = new CsvFactory();

    private final CsvParser parser;
    private final FileFormat.CsvDialect dialect;
    private final List<String> names;
    private final int[] columnOf;

    CsvRows(InputStream in, FileFormat.CsvDialect dialect, RawRow.Columns columns) throws IOException {
        this.dialect = dialect;
        this.parser = FACTORY.createParser(TextInput.reader(in, dialect.encoding()));
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(dialect.delimiter()).withQuoteChar(dialect.quote());
        schema = dialect.escape() < 0 ? schema.withoutEscapeChar() : schema.withEscapeChar((char) dialect.escape());
        parser.setSchema(schema);
        parser.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        parser.disable(CsvParser.Feature.ALLOW_TRAILING_COMMA);
        try {
            for (int i = 0; i < dialect.skipRows(); i++) {
                if (readValues() == null) {
                    break;
                }
            }
            List<String> header = dialect.header() ? readValues() : null;
            this.names = dialect.columnNames().isEmpty() ? (header == null ? List.of() : header) : dialect.columnNames();
            this.columnOf = new int[names.size()];
            for (int i = 0; i < columnOf.length; i++) {
                columnOf[i] = columns.indexOf(names.get(i));
            }
        } catch (IOException | RuntimeException e) {
            parser.close();
            throw e;
        }
    }

    @Override
    public boolean textIsCsv() {
        return true;
    }

    @Override
    public boolean next(RawRow row) throws IOException {
        row.clear();
        JsonToken token = parser.nextToken();
        if (token == null) {
            return false;
        }
        if (token != JsonToken.START_ARRAY) {
            throw new IOException("unexpected CSV token " + token + " at " + parser.currentLocation());
        }
        int position = 0;
        boolean extra = false;
        while ((token = parser.nextToken()) == JsonToken.VALUE_STRING) {
            String value = parser.getText();
            if (position < columnOf.length) {
                int column = columnOf[position];
                if (column >= 0 && !dialect.nullValues().contains(value)) {
                    if (TextInput.invalid(value)) {
                        row.problem(names.get(position), FieldChange.NULLED);
                    } else {
                        row.set(column, value);
                    }
                }
            } else {
                extra = true;
            }
            position++;
        }
        if (token != JsonToken.END_ARRAY) {
            throw new IOException("unexpected CSV token " + token + " at " + parser.currentLocation());
        }
        for (int p = position; p < columnOf.length; p++) {
            if (columnOf[p] >= 0) {
                row.problem(names.get(p), FieldChange.NULLED);
            }
        }
        if (extra) {
            row.problem(EXTRA_VALUES, FieldChange.TRUNCATED);
        }
        return true;
    }

    private List<String> readValues() throws IOException {
        if (parser.nextToken() == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.VALUE_STRING) {
            values.add(parser.getText().strip());
        }
        if (token != JsonToken.END_ARRAY) {
            throw new IOException("unexpected CSV token " + token + " in the header");
        }
        return values;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
