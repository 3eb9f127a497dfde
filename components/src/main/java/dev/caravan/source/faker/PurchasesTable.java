package dev.caravan.source.faker;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code purchases}: a user buys a product; the amount is quantity times the product's price. Purchase
 * {@code id} only refers to users {@code 1..ceil(id/2)} and products {@code 1..max(1, ceil(id/2)/10)}, which
 * exist whenever the purchase does: references stay valid without depending on {@code count}.
 */
final class PurchasesTable implements FakeTable {
    static final String NAME = "purchases";
    static final Schema SCHEMA = new Schema(List.of(
            Field.required("id", FieldType.INT64),
            Field.nullable("user_id", FieldType.INT64),
            Field.nullable("product_id", FieldType.INT64),
            Field.nullable("quantity", FieldType.INT32),
            Field.nullable("amount", FieldType.decimal(12, 2)),
            Field.nullable("purchased_at", FieldType.TIMESTAMP_TZ),
            Field.nullable("returned_at", FieldType.TIMESTAMP_TZ),
            Field.required("updated_at", FieldType.TIMESTAMP_TZ)));

    private static final long SALT = 0x7075726368617365L;
    private static final int MAX_QUANTITY = 3;
    private static final int RETURNED_PERCENT = 5;
    private static final long MIN_AGE_SECONDS = 3600;
    private static final long AGE_SPREAD_SECONDS = 60L * 24 * 3600;

    private final FakerConfig config;
    private final ProductsTable products;
    private final long base;

    PurchasesTable(FakerConfig config) {
        this.config = config;
        this.products = new ProductsTable(config);
        this.base = RowRandom.streamBase(config.seed(), SALT);
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public long size() {
        return config.purchases();
    }

    @Override
    public void fill(long id, Object[] row) {
        SplittableRandom random = RowRandom.forRow(base, id);
        long users = (id + 1) / 2;
        long productId = 1 + random.nextLong(Math.max(1, users / 10));
        int quantity = 1 + random.nextInt(MAX_QUANTITY);
        Instant updatedAt = config.updatedAt(id);
        long ageSeconds = MIN_AGE_SECONDS + random.nextLong(AGE_SPREAD_SECONDS);
        Instant purchasedAt = updatedAt.minusSeconds(ageSeconds);
        row[0] = id;
        row[1] = 1 + random.nextLong(users);
        row[2] = productId;
        row[3] = quantity;
        row[4] = BigDecimal.valueOf(products.priceCents(productId) * quantity, 2);
        row[5] = purchasedAt;
        row[6] = random.nextInt(100) < RETURNED_PERCENT ? purchasedAt.plusSeconds(1 + random.nextLong(ageSeconds)) : null;
        row[7] = updatedAt;
    }
}
