package dev.caravan.destination.parquet;

import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/** Writers of STRING (UTF-8, STRING annotation), JSON (UTF-8 JSON text, JSON annotation) and BYTES (plain binary). */
final class TextWriters {
    private TextWriters() {
    }

    /** STRING, and JSON (serialized JSON text) with the logical type {@code annotation}. */
    static final class StringWriter extends FieldWriter.BinaryValueWriter {
        private final LogicalTypeAnnotation annotation;
        /** The last string written and its bytes: a value repeated as the same instance (a file's URL on every record
         * of the file) is encoded to UTF-8 once. Binary.fromString values are immutable, so sharing one is safe. */
        private String lastString;
        private Binary lastBinary;

        StringWriter(String name, int index, LogicalTypeAnnotation annotation) {
            super(name, index);
            this.annotation = annotation;
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.BINARY, annotation, name);
        }

        @Override
        boolean accept(Object v) {
            if (v instanceof String s) {
                if (s != lastString) {
                    lastBinary = Binary.fromString(s);
                    lastString = s;
                }
                value = lastBinary;
                return true;
            }
            if (v instanceof CharSequence s) {
                value = Binary.fromString(s.toString());
                return true;
            }
            return false;
        }
    }

    static final class BytesWriter extends FieldWriter.BinaryValueWriter {
        BytesWriter(String name, int index) {
            super(name, index);
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.BINARY, null, name);
        }

        @Override
        boolean accept(Object v) {
            if (v instanceof byte[] bytes) {
                // the batch owns the array and may reuse it: parquet copies reused bytes it keeps (dictionary, statistics)
                value = Binary.fromReusedByteArray(bytes);
                return true;
            }
            return false;
        }
    }
}
