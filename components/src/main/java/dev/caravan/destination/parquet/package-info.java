/**
 * Parquet data lake destinations. {@link dev.caravan.destination.parquet.ParquetStreamWriter} turns record batches
 * into rolling Parquet files (Airbyte metadata columns first) with parquet-java and no Hadoop runtime, and
 * publishes them through a {@link dev.caravan.destination.parquet.LakeStorage}: local directory
 * ({@link dev.caravan.destination.parquet.LocalParquetDestination}) now, S3 later with the same writer.
 *
 * <p>Layout under the lake root: {@code raw/{namespace}/{prefix}{stream}/YYYY/MM/DD/data-NNN.parquet} for data,
 * {@code _airbyte_internal/state/{namespace}/{prefix}{stream}/jobs/job-{id}.json} for job manifests, and
 * {@code _airbyte_internal/tmp/} for files not yet published.
 */
package dev.caravan.destination.parquet;
