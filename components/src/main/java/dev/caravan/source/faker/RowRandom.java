package dev.caravan.source.faker;

import java.util.SplittableRandom;

/**
 * The per-row generators: row {@code id} of a stream draws from its own {@link SplittableRandom} seeded by
 * (seed, stream, id), so a row is the same whatever batch, projection or resume point produced it.
 */
final class RowRandom {
    private RowRandom() {
    }

    /** The base of one stream under one seed; computed once per reader. */
    static long streamBase(long seed, long streamSalt) {
        return mix(mix(seed) ^ streamSalt);
    }

    static SplittableRandom forRow(long streamBase, long id) {
        return new SplittableRandom(mix(streamBase + id));
    }

    /** A bijective 64-bit finalizer (Stafford's variant 13): neighbouring inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
