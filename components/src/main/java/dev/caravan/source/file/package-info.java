/**
 * The {@code files} source: CSV, JSON Lines, JSON arrays and Parquet files in a local folder or an S3 bucket, one stream
 * per set of glob patterns, each file ingested once (its key — path, size and modification time, or S3 ETag — is kept in
 * the stream state the platform commits with the data). See docs/connectors/files.md.
 */
package dev.caravan.source.file;
