package dev.caravan.destination.parquet;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Writes rows of physical Parquet values as {@link ParquetRowReader} returns them (Long, Integer, Boolean, Float,
 * Double, Binary; null for a missing optional value) with a flat schema: copies rows between files unchanged,
 * metadata columns included.
 */
final class PhysicalWriteSupport extends WriteSupport<Object[]> {
    private final MessageType schema;
    private final PrimitiveTypeName[] types;
    private final String[] names;
    private RecordConsumer consumer;

    PhysicalWriteSupport(MessageType schema) {
        this.schema = schema;
        this.types = new PrimitiveTypeName[schema.getFieldCount()];
        this.names = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = schema.getType(i).asPrimitiveType().getPrimitiveTypeName();
            names[i] = schema.getFieldName(i);
        }
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(schema, Map.of());
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(schema, Map.of());
    }

    @Override
    public String getName() {
        return "caravan";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
        RecordConsumer c = consumer;
        c.startMessage();
        for (int i = 0; i < types.length; i++) {
            Object value = row[i];
            if (value == null) {
                continue;
            }
            c.startField(names[i], i);
            switch (types[i]) {
                case INT64 -> c.addLong((Long) value);
                case INT32 -> c.addInteger((Integer) value);
                case BOOLEAN -> c.addBoolean((Boolean) value);
                case FLOAT -> c.addFloat((Float) value);
                case DOUBLE -> c.addDouble((Double) value);
                case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> c.addBinary((Binary) value);
            }
            c.endField(names[i], i);
        }
        c.endMessage();
    }
}
