package dev.caravan.engine;

import dev.caravan.spi.RecordBatch;

/**
 * Where {@link StreamSync} hands each batch: the steps between reading and writing (in a server, a Camel route whose
 * destination steps write through {@link DestinationStep}). A batch is delivered when this returns; it throws to fail
 * the stream.
 */
public interface BatchRoute {

    void deliver(SyncSession session, RecordBatch batch, long index);

    /** False once the route can no longer run (stopped, removed): the sync stops at the next batch. */
    boolean running();
}
