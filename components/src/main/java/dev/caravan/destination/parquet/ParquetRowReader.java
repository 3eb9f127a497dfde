package dev.caravan.destination.parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.Type;

/**
 * Reads the rows of one flat Parquet file as physical values (Long, Integer, Boolean, Float, Double, Binary; null
 * when absent) laid out in a target schema: a target column is taken from the file column of the same name and
 * the same physical and logical type (or a narrower one it widens to: int to bigint, float to double), and is null when
 * the file has no such column (a column added later) or has it with another type (reported by {@link #changedColumns()}). Memory: one row group at a time.
 */
final class ParquetRowReader implements RowSource {
    private final ParquetFileReader reader;
    private final MessageColumnIO columnIO;
    private final Materializer materializer;
    private final List<String> changedColumns = new ArrayList<>();
    private RecordReader<Object[]> records;
    private long remaining;

    ParquetRowReader(InputFile file, MessageType target, String description) throws IOException {
        this.reader = ParquetFiles.read(file);
        try {
            MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
            int[] targetOf = new int[fileSchema.getFieldCount()];
            boolean[] widened = new boolean[targetOf.length];
            for (int f = 0; f < targetOf.length; f++) {
                Type column = fileSchema.getType(f);
                int t = target.containsField(column.getName()) ? target.getFieldIndex(column.getName()) : -1;
                if (t >= 0 && widens(column, target.getType(t))) {
                    widened[f] = true;
                } else if (t >= 0 && !sameType(column, target.getType(t))) {
                    changedColumns.add(column.getName());
                    t = -1;
                }
                targetOf[f] = t;
            }
            for (Type column : target.getFields()) {
                boolean present = fileSchema.containsField(column.getName()) && !changedColumns.contains(column.getName());
                if (column.isRepetition(Type.Repetition.REQUIRED) && !present) {
                    throw new IOException(description + " has no column " + column + "; it was not written by Caravan");
                }
            }
            this.columnIO = new ColumnIOFactory().getColumnIO(fileSchema);
            this.materializer = new Materializer(targetOf, widened, target.getFieldCount());
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** Columns of the target schema that the file holds with another type (read as null). */
    List<String> changedColumns() {
        return changedColumns;
    }

    @Override
    public Object[] next() throws IOException {
        while (remaining == 0) {
            PageReadStore pages = reader.readNextRowGroup();
            if (pages == null) {
                return null;
            }
            remaining = pages.getRowCount();
            records = columnIO.getRecordReader(pages, materializer);
        }
        remaining--;
        return records.read();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private static boolean sameType(Type a, Type b) {
        if (!a.isPrimitive() || !b.isPrimitive()) {
            return false;
        }
        PrimitiveType x = a.asPrimitiveType();
        PrimitiveType y = b.asPrimitiveType();
        return x.getPrimitiveTypeName() == y.getPrimitiveTypeName() && x.getTypeLength() == y.getTypeLength()
                && (Objects.equals(x.getLogicalTypeAnnotation(), y.getLogicalTypeAnnotation())
                || isText(x.getLogicalTypeAnnotation()) && isText(y.getLogicalTypeAnnotation()));
    }

    /** STRING and JSON hold the same UTF-8 bytes: files written before JSON columns had the JSON type read as they are. */
    private static boolean isText(LogicalTypeAnnotation annotation) {
        return annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
    }

    /** Fills a new row array per record; file columns without a target are skipped. */
    private static final class Materializer extends RecordMaterializer<Object[]> {
        private final int width;
        private final Root root;
        private Object[] row;

        Materializer(int[] targetOf, boolean[] widened, int width) {
            this.width = width;
            this.root = new Root(targetOf, widened);
        }

        @Override
        public Object[] getCurrentRecord() {
            return row;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }

        private final class Root extends GroupConverter {
            private final PrimitiveConverter[] columns;

            Root(int[] targetOf, boolean[] widened) {
                columns = new PrimitiveConverter[targetOf.length];
                for (int f = 0; f < targetOf.length; f++) {
                    columns[f] = targetOf[f] < 0 ? new Skip() : widened[f] ? new WideningSlot(targetOf[f]) : new Slot(targetOf[f]);
                }
            }

            @Override
            public Converter getConverter(int fieldIndex) {
                return columns[fieldIndex];
            }

            @Override
            public void start() {
                row = new Object[width];
            }

            @Override
            public void end() {
            }
        }

        /** An older file's narrower column read as the target's wider type. */
        private final class WideningSlot extends PrimitiveConverter {
            private final int index;

            WideningSlot(int index) {
                this.index = index;
            }

            @Override
            public void addInt(int value) {
                row[index] = (long) value;
            }

            @Override
            public void addFloat(float value) {
                row[index] = (double) value;
            }
        }

        private final class Slot extends PrimitiveConverter {
            private final int index;

            Slot(int index) {
                this.index = index;
            }

            @Override
            public void addBinary(Binary value) {
                // a real copy: a slice would pin the whole page buffer while the row waits in a sort buffer
                row[index] = Binary.fromConstantByteArray(value.getBytes());
            }

            @Override
            public void addBoolean(boolean value) {
                row[index] = value;
            }

            @Override
            public void addDouble(double value) {
                row[index] = value;
            }

            @Override
            public void addFloat(float value) {
                row[index] = value;
            }

            @Override
            public void addInt(int value) {
                row[index] = value;
            }

            @Override
            public void addLong(long value) {
                row[index] = value;
            }
        }
    }

    /** int to bigint, float to double: a column widened after older files were written (docs/schema-changes.md). */
    private static boolean widens(Type file, Type target) {
        if (!file.isPrimitive() || !target.isPrimitive() || file.getLogicalTypeAnnotation() != null || target.getLogicalTypeAnnotation() != null) {
            return false;
        }
        PrimitiveType.PrimitiveTypeName from = file.asPrimitiveType().getPrimitiveTypeName();
        PrimitiveType.PrimitiveTypeName to = target.asPrimitiveType().getPrimitiveTypeName();
        return from == PrimitiveType.PrimitiveTypeName.INT32 && to == PrimitiveType.PrimitiveTypeName.INT64
                || from == PrimitiveType.PrimitiveTypeName.FLOAT && to == PrimitiveType.PrimitiveTypeName.DOUBLE;
    }

    private static final class Skip extends PrimitiveConverter {
        @Override
        public void addBinary(Binary value) {
        }

        @Override
        public void addBoolean(boolean value) {
        }

        @Override
        public void addDouble(double value) {
        }

        @Override
        public void addFloat(float value) {
        }

        @Override
        public void addInt(int value) {
        }

        @Override
        public void addLong(long value) {
        }
    }
}
