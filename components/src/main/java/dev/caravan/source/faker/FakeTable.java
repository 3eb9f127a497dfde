package dev.caravan.source.faker;

import dev.caravan.spi.Schema;

/** One generated stream under one configuration: rows {@code 1..size()}, each a pure function of its id. */
interface FakeTable {

    Schema schema();

    long size();

    /**
     * Writes row {@code id} into {@code row} in schema order; equal ids give equal values. Each value has the Java
     * class {@link dev.caravan.spi.FieldType} names and decimals carry exactly their declared scale.
     */
    void fill(long id, Object[] row);
}
