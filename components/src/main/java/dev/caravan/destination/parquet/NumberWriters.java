package dev.caravan.destination.parquet;

import java.math.BigDecimal;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writers of BOOLEAN and the numeric kinds. Integer and decimal kinds accept any {@link Number} that converts exactly
 * (else the value is nulled); FLOAT32 and FLOAT64 accept any Number, as Java's narrowing would.
 */
final class NumberWriters {
    private NumberWriters() {
    }

    static final class BooleanWriter extends FieldWriter {
        private boolean value;

        BooleanWriter(String name) {
            super(name);
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.BOOLEAN, null, name);
        }

        @Override
        boolean accept(Object v) {
            if (v instanceof Boolean b) {
                value = b;
                return true;
            }
            return false;
        }

        @Override
        void addValue(ColumnWriter column) {
            column.write(value, 0, 1);
        }
    }

    static final class Int32Writer extends FieldWriter.IntValueWriter {
        Int32Writer(String name) {
            super(name);
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.INT32, null, name);
        }

        @Override
        boolean accept(Object v) {
            if (v instanceof Integer i) {
                value = i;
                return true;
            }
            if (v instanceof Number n && ExactNumbers.isExactLong(n)) {
                long l = ExactNumbers.toLong(n);
                value = (int) l;
                return value == l;
            }
            return false;
        }
    }

    static final class Int64Writer extends FieldWriter.LongValueWriter {
        Int64Writer(String name) {
            super(name);
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.INT64, null, name);
        }

        @Override
        boolean accept(Object v) {
            if (v instanceof Long l) {
                value = l;
                return true;
            }
            if (v instanceof Number n && ExactNumbers.isExactLong(n)) {
                value = ExactNumbers.toLong(n);
                return true;
            }
            return false;
        }
    }

    static final class Float32Writer extends FieldWriter {
        private float value;

        Float32Writer(String name) {
            super(name);
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.FLOAT, null, name);
        }

        @Override
        boolean accept(Object v) {
            if (v instanceof Number n) {
                value = n.floatValue();
                return true;
            }
            return false;
        }

        @Override
        void addValue(ColumnWriter column) {
            column.write(value, 0, 1);
        }
    }

    static final class Float64Writer extends FieldWriter {
        private double value;

        Float64Writer(String name) {
            super(name);
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.DOUBLE, null, name);
        }

        @Override
        boolean accept(Object v) {
            if (v instanceof Number n) {
                value = n.doubleValue();
                return true;
            }
            return false;
        }

        @Override
        void addValue(ColumnWriter column) {
            column.write(value, 0, 1);
        }
    }

    /** DECIMAL with precision up to 18: the unscaled value as INT64. */
    static final class Decimal64Writer extends FieldWriter.LongValueWriter {
        private final int precision;
        private final int scale;

        /** 10^precision: an unscaled value fits the precision when its magnitude is below it. */
        private final long bound;

        Decimal64Writer(String name, int precision, int scale) {
            super(name);
            this.precision = precision;
            this.scale = scale;
            this.bound = BigDecimal.TEN.pow(precision).longValueExact();
        }

        @Override
        Type type() {
            return FieldWriter.optional(PrimitiveTypeName.INT64, LogicalTypeAnnotation.decimalType(scale, precision), name);
        }

        @Override
        boolean accept(Object v) {
            if (v instanceof BigDecimal decimal && decimal.scale() == scale) {
                // the common case, a value at the column's scale: its digits are counted by comparing with 10^precision
                // instead of by precision()
                long unscaled;
                try {
                    unscaled = decimal.scaleByPowerOfTen(scale).longValueExact();
                } catch (ArithmeticException beyondLong) {
                    return false;
                }
                if (unscaled <= -bound || unscaled >= bound) {
                    return false;
                }
                value = unscaled;
                return true;
            }
            BigDecimal scaled = ExactNumbers.toScale(v, precision, scale);
            if (scaled == null) {
                return false;
            }
            // scale 0 and a long-sized unscaled value: no BigInteger is made (unscaledValue() would make one per row)
            value = scaled.scaleByPowerOfTen(scale).longValueExact();
            return true;
        }
    }

    /** DECIMAL with precision 19 to 38: the unscaled two's-complement value in the fewest bytes that hold the precision. */
    static final class DecimalFixedWriter extends FieldWriter.BinaryValueWriter {
        private final int precision;
        private final int scale;
        private final int length;

        DecimalFixedWriter(String name, int precision, int scale) {
            super(name);
            this.precision = precision;
            this.scale = scale;
            this.length = ExactNumbers.bytesForPrecision(precision);
        }

        @Override
        Type type() {
            return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(length)
                    .as(LogicalTypeAnnotation.decimalType(scale, precision)).named(name);
        }

        @Override
        boolean accept(Object v) {
            BigDecimal scaled = ExactNumbers.toScale(v, precision, scale);
            if (scaled == null) {
                return false;
            }
            byte[] minimal = scaled.unscaledValue().toByteArray();
            byte[] fixed = new byte[length];
            int padding = length - minimal.length;
            if (scaled.signum() < 0) {
                for (int i = 0; i < padding; i++) {
                    fixed[i] = (byte) 0xFF;
                }
            }
            System.arraycopy(minimal, 0, fixed, padding, minimal.length);
            value = Binary.fromConstantByteArray(fixed);
            return true;
        }
    }
}
