package dev.caravan.engine;

import dev.caravan.spi.FieldType;
import dev.caravan.spi.FieldType.Kind;

/**
 * Which type changes of a source column are widenings, applied without asking: every old value fits the new type
 * exactly and readers of old and new files together (DuckDB {@code union_by_name}) see one wider column. int to bigint
 * and float to double; a varchar whose length changed keeps the logical type STRING, so it is no change at all.
 */
final class TypeWidening {
    private TypeWidening() {
    }

    static boolean same(FieldType a, FieldType b) {
        return a.equals(b);
    }

    static boolean widens(FieldType from, FieldType to) {
        return from.kind() == Kind.INT32 && to.kind() == Kind.INT64
                || from.kind() == Kind.FLOAT32 && to.kind() == Kind.FLOAT64;
    }
}
