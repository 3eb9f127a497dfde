/**
 * The S3 Parquet destination: {@link dev.caravan.destination.s3.S3Destination} (options in
 * {@link dev.caravan.destination.s3.S3LakeConfig}) writes through the shared lake writer
 * {@link dev.caravan.destination.parquet.ParquetStreamWriter} into an {@link dev.caravan.destination.s3.S3LakeStorage}:
 * files are streamed as multipart uploads (parts sent as the buffer fills, completed only on publish, aborted on
 * failure), bookkeeping objects are single PUTs. AWS SDK v2 (the one camel-aws2-s3 brings); errors are mapped to
 * causes and fixes by {@link dev.caravan.destination.s3.S3Errors}.
 */
package dev.caravan.destination.s3;
