package dev.caravan.source.jdbc;

import java.util.Locale;
import java.util.Objects;

/**
 * A column as the database's catalog describes it: {@code jdbcType} from {@link java.sql.Types} (OTHER when the dialect
 * reads its own catalog), the database's type name ({@code typeName}, lower case) and its full declaration where the
 * database has one ({@code declaredType}, e.g. MySQL's {@code int(10) unsigned}), precision and scale (0 when unknown).
 */
public record ColumnInfo(String name, int jdbcType, String typeName, String declaredType, int precision, int scale, boolean nullable) {
    public ColumnInfo {
        Objects.requireNonNull(name, "name");
        typeName = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        declaredType = declaredType == null ? typeName : declaredType.toLowerCase(Locale.ROOT);
    }
}
