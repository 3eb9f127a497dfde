package dev.caravan.destination.parquet;

import java.nio.charset.StandardCharsets;
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
         * of the file) is encoded to UTF-8 once. the Binary's bytes are never changed, so sharing one is safe. */
        private String lastString;
        private Binary lastBinary;

        StringWriter(String name, LogicalTypeAnnotation annotation) {
            super(name);
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
                    Binary utf8 = utf8(s);
                    if (utf8 == null) {
                        return false;
                    }
                    lastBinary = utf8;
                    lastString = s;
                }
                value = lastBinary;
                return true;
            }
            if (v instanceof CharSequence s) {
                value = utf8(s.toString());
                return value != null;
            }
            return false;
        }
    }

    /**
     * The UTF-8 bytes of {@code s} as a byte-array Binary (parquet compares and copies those faster than the buffer-backed
     * values of Binary.fromString); null when {@code s} holds an unpaired surrogate, which has no UTF-8 form (the JDK's
     * encoder would write '?' for it: looked for only when a '?' came out).
     */
    static Binary utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (b == '?') {
                return hasUnpairedSurrogate(s) ? null : Binary.fromConstantByteArray(bytes);
            }
        }
        return Binary.fromConstantByteArray(bytes);
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    static final class BytesWriter extends FieldWriter.BinaryValueWriter {
        BytesWriter(String name) {
            super(name);
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
