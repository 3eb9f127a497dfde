package dev.caravan.source.faker;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/** {@code products}: cars with a make, a model, a price and a JSON array of tags. */
final class ProductsTable implements FakeTable {
    static final String NAME = "products";
    static final Schema SCHEMA = new Schema(List.of(
            Field.required("id", FieldType.INT64),
            Field.nullable("make", FieldType.STRING),
            Field.nullable("model", FieldType.STRING),
            Field.nullable("price", FieldType.decimal(10, 2)),
            Field.nullable("in_stock", FieldType.BOOLEAN),
            Field.nullable("tags", FieldType.JSON),
            Field.nullable("created_at", FieldType.TIMESTAMP_TZ),
            Field.required("updated_at", FieldType.TIMESTAMP_TZ)));

    private static final long SALT = 0x70726f6475637473L;
    private static final long MIN_PRICE_CENTS = 12_000_00L;
    private static final long PRICE_SPREAD_CENTS = 63_000_00L;
    private static final int MAX_TAGS = 3;
    private static final long MAX_LISTING_AGE_SECONDS = 365L * 24 * 3600;

    private final FakerConfig config;
    private final long base;

    ProductsTable(FakerConfig config) {
        this.config = config;
        this.base = RowRandom.streamBase(config.seed(), SALT);
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public long size() {
        return config.products();
    }

    @Override
    public void fill(long id, Object[] row) {
        SplittableRandom random = RowRandom.forRow(base, id);
        long priceCents = priceCents(random);
        int make = random.nextInt(Words.MAKES.length);
        Instant updatedAt = config.updatedAt(id);
        row[0] = id;
        row[1] = Words.MAKES[make];
        row[2] = Words.pick(random, Words.MODELS[make]);
        row[3] = BigDecimal.valueOf(priceCents, 2);
        row[4] = random.nextInt(100) < 80;
        row[5] = tags(random);
        row[6] = updatedAt.minusSeconds(random.nextLong(MAX_LISTING_AGE_SECONDS));
        row[7] = updatedAt;
    }

    /** The price of product {@code id} in cents, as its row shows it; purchases use it to compute their amount. */
    long priceCents(long id) {
        return priceCents(RowRandom.forRow(base, id));
    }

    /** The first draw of a product's row, so that {@link #priceCents(long)} needs no other value. */
    private static long priceCents(SplittableRandom random) {
        return MIN_PRICE_CENTS + random.nextLong(PRICE_SPREAD_CENTS);
    }

    /** One to three distinct tags, in list order, as a JSON array. */
    private static String tags(SplittableRandom random) {
        int wanted = 1 + random.nextInt(MAX_TAGS);
        long chosen = 0;
        for (int count = 0; count < wanted; ) {
            long bit = 1L << random.nextInt(Words.TAGS.length);
            if ((chosen & bit) == 0) {
                chosen |= bit;
                count++;
            }
        }
        StringBuilder json = new StringBuilder(48).append('[');
        for (int i = 0; i < Words.TAGS.length; i++) {
            if ((chosen & (1L << i)) != 0) {
                if (json.length() > 1) {
                    json.append(',');
                }
                JsonText.string(json, Words.TAGS[i]);
            }
        }
        return json.append(']').toString();
    }
}
