package dev.caravan.source.file;

import dev.caravan.destination.parquet.ParquetFiles;
import dev.caravan.spi.FieldType;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The records of a Parquet file (a local file: S3 objects are downloaded first, Parquet needs random access), one row
 * group in memory at a time. Flat columns are read with their logical types; nested columns (groups, lists, maps) are
 * not read — {@link #columnTypes} leaves them out and the reader reports them.
 */
final class ParquetRows implements FileRows {
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;

    private final ParquetFileReader reader;
    private final MessageType schema;
    private final MessageColumnIO columnIO;
    private final int[] columnOf;
    private RecordReader<Group> records;
    private long remaining;

    ParquetRows(Path file, RawRow.Columns columns) throws IOException {
        this.reader = ParquetFiles.read(new LocalInputFile(file));
        try {
            this.schema = reader.getFooter().getFileMetaData().getSchema();
            this.columnIO = new ColumnIOFactory().getColumnIO(schema);
            this.columnOf = new int[schema.getFieldCount()];
            for (int f = 0; f < columnOf.length; f++) {
                columnOf[f] = flat(schema.getType(f)) ? columns.indexOf(schema.getType(f).getName()) : -1;
            }
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The flat columns of {@code file} and their types (nested ones left out). */
    static Map<String, FieldType> columnTypes(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFiles.read(new LocalInputFile(file))) {
            Map<String, FieldType> types = new LinkedHashMap<>();
            for (Type column : reader.getFooter().getFileMetaData().getSchema().getFields()) {
                if (flat(column)) {
                    types.put(column.getName(), typeOf(column.asPrimitiveType()));
                }
            }
            return types;
        }
    }

    private static boolean flat(Type column) {
        return column.isPrimitive() && !column.isRepetition(Type.Repetition.REPEATED);
    }

    @Override
    public boolean next(RawRow row) throws IOException {
        while (remaining == 0) {
            PageReadStore pages = reader.readNextRowGroup();
            if (pages == null) {
                return false;
            }
            remaining = pages.getRowCount();
            records = columnIO.getRecordReader(pages, new GroupRecordConverter(schema));
        }
        remaining--;
        Group group = records.read();
        row.clear();
        for (int f = 0; f < columnOf.length; f++) {
            if (columnOf[f] >= 0 && group.getFieldRepetitionCount(f) > 0) {
                try {
                    row.set(columnOf[f], value(group, f, schema.getType(f).asPrimitiveType()));
                } catch (RuntimeException e) {
                    // one value Java cannot hold (a TIME of 24:00, a date beyond year 999999999): null, with a change
                    row.problem(schema.getType(f).getName(), dev.caravan.spi.FieldChange.NULLED);
                }
            }
        }
        return true;
    }

    static FieldType typeOf(PrimitiveType column) {
        LogicalTypeAnnotation logical = column.getLogicalTypeAnnotation();
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
            return d.getPrecision() <= FieldType.MAX_DECIMAL_PRECISION ? FieldType.decimal(d.getPrecision(), d.getScale()) : FieldType.STRING;
        }
        return switch (column.getPrimitiveTypeName()) {
            case BOOLEAN -> FieldType.BOOLEAN;
            case INT32 -> logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? FieldType.DATE
                    : logical instanceof TimeLogicalTypeAnnotation ? FieldType.TIME
                    : logical instanceof IntLogicalTypeAnnotation i && !i.isSigned() ? FieldType.INT64 : FieldType.INT32;
            case INT64 -> logical instanceof TimestampLogicalTypeAnnotation t ? (t.isAdjustedToUTC() ? FieldType.TIMESTAMP_TZ : FieldType.TIMESTAMP)
                    : logical instanceof TimeLogicalTypeAnnotation ? FieldType.TIME
                    : logical instanceof IntLogicalTypeAnnotation i && !i.isSigned() ? FieldType.decimal(20, 0) : FieldType.INT64;
            case INT96 -> FieldType.TIMESTAMP_TZ;
            case FLOAT -> FieldType.FLOAT32;
            case DOUBLE -> FieldType.FLOAT64;
            case BINARY -> logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation ? FieldType.STRING
                    : logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation ? FieldType.JSON : FieldType.BYTES;
            case FIXED_LEN_BYTE_ARRAY -> logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation ? FieldType.STRING : FieldType.BYTES;
        };
    }

    private static Object value(Group group, int f, PrimitiveType column) {
        FieldType type = typeOf(column);
        LogicalTypeAnnotation logical = column.getLogicalTypeAnnotation();
        return switch (column.getPrimitiveTypeName()) {
            case BOOLEAN -> group.getBoolean(f, 0);
            case INT32 -> {
                int v = group.getInteger(f, 0);
                yield switch (type.kind()) {
                    case DATE -> LocalDate.ofEpochDay(v);
                    case TIME -> LocalTime.ofNanoOfDay(v * 1_000_000L);
                    case DECIMAL -> BigDecimal.valueOf(v, type.scale());
                    case INT64 -> Integer.toUnsignedLong(v);
                    default -> v;
                };
            }
            case INT64 -> {
                long v = group.getLong(f, 0);
                yield switch (type.kind()) {
                    case TIMESTAMP_TZ, TIMESTAMP -> {
                        Instant instant = instant(v, ((TimestampLogicalTypeAnnotation) logical).getUnit());
                        yield type.kind() == FieldType.Kind.TIMESTAMP_TZ ? instant : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
                    }
                    case TIME -> LocalTime.ofNanoOfDay(((TimeLogicalTypeAnnotation) logical).getUnit() == LogicalTypeAnnotation.TimeUnit.NANOS ? v : v * 1000L);
                    case DECIMAL -> logical instanceof IntLogicalTypeAnnotation ? new BigDecimal(new BigInteger(Long.toUnsignedString(v))) : BigDecimal.valueOf(v, type.scale());
                    default -> v;
                };
            }
            case INT96 -> int96(group.getInt96(f, 0));
            case FLOAT -> group.getFloat(f, 0);
            case DOUBLE -> group.getDouble(f, 0);
            case BINARY, FIXED_LEN_BYTE_ARRAY -> {
                Binary binary = group.getBinary(f, 0);
                yield switch (type.kind()) {
                    case DECIMAL -> new BigDecimal(new BigInteger(binary.getBytes()), type.scale());
                    case STRING -> logical instanceof DecimalLogicalTypeAnnotation wide // beyond 38 digits: its text
                            ? new BigDecimal(new BigInteger(binary.getBytes()), wide.getScale()).toPlainString()
                            : logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation ? uuid(binary) : binary.toStringUsingUTF8();
                    case JSON -> new JsonText(binary.toStringUsingUTF8());
                    default -> binary.getBytes();
                };
            }
        };
    }

    private static Instant instant(long v, LogicalTypeAnnotation.TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> Instant.ofEpochMilli(v);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000L);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
        };
    }

    private static Instant int96(Binary binary) {
        ByteBuffer bytes = binary.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = bytes.getLong();
        long julianDay = Integer.toUnsignedLong(bytes.getInt());
        return Instant.ofEpochSecond((julianDay - JULIAN_EPOCH_DAY) * 86_400L).plusNanos(nanosOfDay);
    }

    private static String uuid(Binary binary) {
        ByteBuffer bytes = binary.toByteBuffer();
        return new UUID(bytes.getLong(), bytes.getLong()).toString();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
