package dev.caravan.spi;

/**
 * Writes one stream of one job: open (by {@link DestinationConnector#open}) → {@link #write}* → {@link #commit}
 * or {@link #abort}. Until commit nothing written may replace or corrupt data a reader takes as committed.
 * {@link #close} without commit aborts.
 */
public interface StreamWriter extends AutoCloseable {

    /**
     * Writes a batch. Returns true when every row written so far, this batch included, is durable and
     * published, so the batch's checkpoint may be committed now (e.g. after a file roll in an append mode).
     */
    boolean write(RecordBatch batch);

    /** Makes everything written durable and visible; for overwrite, replaces the previous generation. */
    WriteSummary commit();

    /**
     * What is durable and published so far, before {@link #commit}: the bytes and files (records are counted by the
     * caller, which knows which batches are durable). Writers that publish nothing before commit report nothing.
     */
    default WriteSummary published() {
        return new WriteSummary(0, 0, java.util.List.of());
    }

    /**
     * The checkpoint covering everything published so far is committed (after a {@link #write} that returned true, or
     * after {@link #commit}): markers kept to take back a half-done publish may go.
     */
    default void checkpointCommitted() {
    }

    /** Discards everything not yet durable; the previously committed output stays intact. */
    void abort();

    @Override
    void close();
}
