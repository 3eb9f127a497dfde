package dev.caravan.destination.parquet;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Turns the {@code Object[]} rows of one stream into column values: the four Airbyte metadata columns (REQUIRED)
 * followed by the stream's fields (OPTIONAL), in order. {@code _airbyte_extracted_at} and {@code _airbyte_generation_id}
 * hold one value per writer ({@link #constantColumns}), which {@link RowFileWriter} writes once per row group;
 * {@link #encode} writes a row's raw id and fields and returns its {@code _airbyte_meta}. Built once per stream writer
 * and reused for each of its files; not thread-safe.
 */
final class RowEncoder {
    static final String RAW_ID = "_airbyte_raw_id";
    static final String EXTRACTED_AT = "_airbyte_extracted_at";
    static final String META = "_airbyte_meta";
    static final String GENERATION_ID = "_airbyte_generation_id";
    static final Set<String> METADATA_COLUMNS = Set.of(RAW_ID, EXTRACTED_AT, META, GENERATION_ID);
    private static final int FIRST_DATA_INDEX = 4;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final MessageType messageType;
    private final FieldWriter[] writers;
    private final AirbyteMeta meta;
    private final Map<String, Long> constantColumns;
    private final byte[] rawId = new byte[36];
    private long rawIdLow;
    private long rowsWithChanges;
    private long nulledValues;

    RowEncoder(String stream, Schema schema, long syncId, long generationId, Instant extractedAt) {
        this.writers = new FieldWriter[schema.size()];
        List<Type> columns = new ArrayList<>(FIRST_DATA_INDEX + schema.size());
        columns.add(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(RAW_ID));
        columns.add(Types.required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MILLIS)).named(EXTRACTED_AT));
        columns.add(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.jsonType()).named(META));
        columns.add(Types.required(PrimitiveTypeName.INT64).named(GENERATION_ID));
        for (int i = 0; i < writers.length; i++) {
            String name = schema.field(i).name();
            if (METADATA_COLUMNS.contains(name)) {
                throw CaravanException.config("Stream " + stream + " has a field named " + name + ", a column this destination adds itself."
                        + " Fix: deselect the field or rename it in the source (e.g. with a view).");
            }
            writers[i] = FieldWriter.of(schema.field(i));
            columns.add(writers[i].type());
        }
        this.messageType = new MessageType("caravan_record", columns);
        this.meta = new AirbyteMeta(syncId);
        this.constantColumns = Map.of(EXTRACTED_AT, extractedAt.toEpochMilli(), GENERATION_ID, generationId);
        startRawIds(System.currentTimeMillis());
    }

    MessageType messageType() {
        return messageType;
    }

    /** The INT64 columns holding one value per writer, by name, with that value. */
    Map<String, Long> constantColumns() {
        return constantColumns;
    }

    long rowsWithChanges() {
        return rowsWithChanges;
    }

    long nulledValues() {
        return nulledValues;
    }

    /** The {@code _airbyte_meta} of a row without changes (the same instance each time). */
    Binary metaWithoutChanges() {
        return meta.noChanges();
    }

    /**
     * Writes one row's raw id and its fields into {@code data}, in schema order, and returns its {@code _airbyte_meta}:
     * the source's {@code changes} and those of values this destination had to null, {@link #metaWithoutChanges} when
     * there are none.
     */
    Binary encode(Object[] row, List<FieldChange> sourceChanges, ColumnWriter rawIdColumn, ColumnWriter[] data) {
        if (row.length != writers.length) {
            // checked before any column is written: a half-written record would corrupt the file
            throw new IllegalArgumentException("a row has " + row.length + " values but the stream's schema has " + writers.length + " fields");
        }
        List<FieldChange> destinationChanges = List.of();
        for (int i = 0; i < writers.length; i++) {
            if (!writers[i].prepare(row[i])) {
                if (destinationChanges.isEmpty()) {
                    destinationChanges = new ArrayList<>(2);
                }
                destinationChanges.add(new FieldChange(writers[i].name, FieldChange.NULLED, FieldChange.DESTINATION_SERIALIZATION_ERROR));
            }
        }
        Binary metaValue;
        if (sourceChanges.isEmpty() && destinationChanges.isEmpty()) {
            metaValue = meta.noChanges();
        } else {
            metaValue = meta.withChanges(sourceChanges, destinationChanges);
            rowsWithChanges++;
            nulledValues += destinationChanges.size();
        }
        rawIdColumn.write(nextRawId(), 0, 0);
        for (int i = 0; i < writers.length; i++) {
            writers[i].write(data[i]);
        }
        return metaValue;
    }

    /**
     * Raw ids are version 7 UUIDs (RFC 9562): the 48-bit Unix time in milliseconds when this writer started, 12 random
     * bits, then a 62-bit counter that starts at a random value and counts the rows (the RFC's monotonic method). Each is
     * unique (two writers would need the same millisecond, the same 12 bits and overlapping counter ranges out of 2^62)
     * and time-ordered; consecutive ids differ only in their last digits, so they compress to a few bytes each
     * instead of the 36 a random UUID costs, and only those digits are formatted per row. The text form
     * ({@link java.util.UUID#toString}) is kept in a reused buffer: no String, no garbage; Parquet copies reused bytes it
     * keeps (statistics), and the column has no dictionary.
     */
    private void startRawIds(long unixMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (unixMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        rawIdLow = random.nextLong() & 0x3FFFFFFFFFFFFFFFL;
        byte[] text = rawId;
        hex(high >>> 32, text, 0, 8);
        text[8] = '-';
        hex(high >>> 16, text, 9, 4);
        text[13] = '-';
        hex(high, text, 14, 4);
        text[18] = '-';
        text[23] = '-';
    }

    private Binary nextRawId() {
        long low = (rawIdLow++ & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        byte[] text = rawId;
        hex(low >>> 48, text, 19, 4);
        hex(low, text, 24, 12);
        return Binary.fromReusedByteArray(text);
    }

    /** The lowest {@code digits} hex digits of {@code value}, lower case, into {@code text} from {@code at}. */
    private static void hex(long value, byte[] text, int at, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            text[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
