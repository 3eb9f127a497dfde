package dev.caravan.source.file;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Set;

/** How the files of one stream are parsed: their format and, for CSV, the dialect. */
record FileFormat(Type type, Compression compression, CsvDialect csv) {

    enum Type {
        CSV, JSONL, JSON, PARQUET;

        String configName() {
            return name().toLowerCase();
        }
    }

    /**
     * A CSV dialect: {@code columnNames} empty = the first row (after {@code skipRows}) is the header; a value equal to one
     * of {@code nullValues} is null.
     */
    record CsvDialect(char delimiter, char quote, int escape, boolean header, List<String> columnNames, Charset encoding,
                      Set<String> nullValues, int skipRows) {
        static final CsvDialect DEFAULT = new CsvDialect(',', '"', -1, true, List.of(), java.nio.charset.StandardCharsets.UTF_8, Set.of(""), 0);

        CsvDialect {
            columnNames = List.copyOf(columnNames);
            nullValues = Set.copyOf(nullValues);
        }
    }
}
