/**
 * Parquet data lake destinations. {@link dev.caravan.destination.parquet.ParquetStreamWriter} turns record batches
 * into rolling Parquet files (Airbyte metadata columns first) with parquet-java (writing needs no Hadoop class; reading
 * back for the snapshot needs hadoop-client-api only), and
 * publishes them through a {@link dev.caravan.destination.parquet.LakeStorage}: a local directory
 * ({@link dev.caravan.destination.parquet.LocalParquetDestination}) or an S3 bucket ({@code dev.caravan.destination.s3}),
 * same writer, same semantics. incremental_append_deduped also keeps a snapshot with the latest row per key
 * ({@link dev.caravan.destination.parquet.DedupSnapshot}: external sort + merge, bounded memory).
 *
 * <p>Layout under the lake root (see {@link dev.caravan.destination.parquet.LakeLayout} and docs/destinations.md):
 * {@code raw/{namespace}/{prefix}{stream}/YYYY/MM/DD/data-NNN.parquet} for data (full_refresh_overwrite: below
 * {@code generation=G/}, see {@link dev.caravan.destination.parquet.OverwriteGenerations}), {@code snapshot/…} for the
 * deduplicated snapshot, {@code _airbyte_internal/state/{namespace}/{prefix}{stream}/} for job manifests, the snapshot
 * and generation pointers and the publish journal, and (local only) {@code _airbyte_internal/tmp/} for files not yet
 * published. {@link dev.caravan.destination.parquet.LakeRecovery} settles what a crash left when the server starts.
 */
package dev.caravan.destination.parquet;
