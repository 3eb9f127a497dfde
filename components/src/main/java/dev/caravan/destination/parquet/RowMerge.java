package dev.caravan.destination.parquet;

import java.io.IOException;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges sources each sorted by {@link DedupKeys} with at most one row per key into one sorted stream with one row
 * per key: for equal keys the source later in the list wins. Deletes are dropped, or kept when the result is an
 * intermediate run that must still remove keys from older sources. A source found out of order fails the merge.
 */
final class RowMerge {
    private RowMerge() {
    }

    @FunctionalInterface
    interface Sink {
        void accept(Object[] row) throws IOException;
    }

    private record Head(Object[] row, int source) {
    }

    /** Returns the number of rows passed to {@code sink}. */
    static long merge(List<? extends RowSource> sources, DedupKeys keys, boolean keepDeletes, Sink sink) throws IOException {
        PriorityQueue<Head> heads = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> {
            int c = keys.compare(a.row, b.row);
            return c != 0 ? c : Integer.compare(b.source, a.source);
        });
        for (int i = 0; i < sources.size(); i++) {
            advance(sources, i, null, keys, heads);
        }
        long written = 0;
        while (!heads.isEmpty()) {
            Head winner = heads.poll();
            while (!heads.isEmpty() && keys.compare(heads.peek().row, winner.row) == 0) {
                Head loser = heads.poll();
                advance(sources, loser.source, loser.row, keys, heads);
            }
            advance(sources, winner.source, winner.row, keys, heads);
            if (keepDeletes || !keys.isDelete(winner.row)) {
                sink.accept(winner.row);
                written++;
            }
        }
        return written;
    }

    private static void advance(List<? extends RowSource> sources, int index, Object[] previous, DedupKeys keys, PriorityQueue<Head> heads)
            throws IOException {
        Object[] next = sources.get(index).next();
        if (next == null) {
            return;
        }
        if (previous != null && keys.compare(previous, next) >= 0) {
            throw new IOException("merge source " + index + " is not sorted by " + keys.keyNames() + " with one row per key;"
                    + " it was not written by this version of Caravan");
        }
        heads.add(new Head(next, index));
    }
}
