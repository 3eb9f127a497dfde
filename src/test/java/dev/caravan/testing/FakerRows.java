package dev.caravan.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.faker.FakerSource;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the faker source produces for a seed, and a comparison of Parquet rows read back by DuckDB with it. */
public final class FakerRows {
    private final long seed;

    public FakerRows(long seed) {
        this.seed = seed;
    }

    public Schema schema(String stream, List<String> fields) {
        try (StreamReader reader = new FakerSource().read(config(1), new ReadRequest(stream, fields, SyncMode.FULL_REFRESH_APPEND,
                null, List.of(), Map.of(), 10))) {
            return reader.schema();
        }
    }

    /** The rows of {@code stream} when the source is configured with {@code count}, the {@code fields} selected (empty = all). */
    public List<Object[]> rows(String stream, List<String> fields, long count) {
        List<Object[]> rows = new ArrayList<>();
        try (StreamReader reader = new FakerSource().read(config(count), new ReadRequest(stream, fields, SyncMode.FULL_REFRESH_APPEND,
                null, List.of(), Map.of(), 5000))) {
            RecordBatch batch;
            while ((batch = reader.next()) != null) {
                rows.addAll(batch.rows());
            }
        }
        return rows;
    }

    /**
     * Asserts that {@code actual} (DuckDB rows ordered by id, one per id) holds exactly the rows of the stream when the
     * source is configured with {@code count}, every selected value equal.
     */
    public void assertSameRows(List<Map<String, Object>> actual, String stream, List<String> fields, long count) {
        Schema schema = schema(stream, fields);
        List<Object[]> expected = rows(stream, fields, count);
        assertThat(actual).hasSize(expected.size());
        for (int r = 0; r < expected.size(); r++) {
            Map<String, Object> row = actual.get(r);
            for (int i = 0; i < schema.size(); i++) {
                String name = schema.field(i).name();
                assertThat(normalize(row.get(name))).as("%s.%s of row %d", stream, name, r + 1).isEqualTo(normalize(expected.get(r)[i]));
            }
        }
    }

    public static Object normalize(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant().truncatedTo(ChronoUnit.MICROS);
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant.truncatedTo(ChronoUnit.MICROS);
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        return value;
    }

    private ConnectorConfig config(long count) {
        return new FakerSource().spec().validate(Map.of("seed", (int) seed, "count", (int) count), "");
    }
}
