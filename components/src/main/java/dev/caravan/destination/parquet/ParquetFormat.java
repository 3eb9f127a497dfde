package dev.caravan.destination.parquet;

import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * How Parquet files are encoded and rolled, shared by every lake destination (local, S3).
 *
 * @param codec        page compression
 * @param fileSizeBytes a file is closed at the first batch boundary after its data reaches this size
 * @param rowGroupBytes target row group size; parquet buffers one row group in heap per open file
 * @param maxFileAge    a file open this long is also closed at the next batch boundary, so incremental syncs make their
 *                      progress durable (and commit their checkpoint) at least this often, however slow the source
 * @param encodingThreads files a large stream encodes at the same time, each on its own thread (see
 *                      {@link ParquetStreamWriter}); each holds a row group in memory
 * @param keepJobManifests job manifests kept per stream
 * @param overwriteGracePeriod how long a full_refresh_overwrite generation stays after a newer one replaced it, so that
 *                      readers that listed its files before the switch can still read them
 */
public record ParquetFormat(CompressionCodecName codec, long fileSizeBytes, long rowGroupBytes, Duration maxFileAge, int encodingThreads,
                            int keepJobManifests, Duration overwriteGracePeriod) {
    static final long MB = 1024L * 1024L;

    public static final ConfigOption COMPRESSION = ConfigOption.string("compression").withDefault("snappy")
            .withAllowedValues("snappy", "zstd", "gzip", "none")
            .withDescription("Compression of Parquet pages: snappy (fast), zstd (smaller), gzip (widest support) or none.");
    public static final ConfigOption FILE_SIZE_MB = ConfigOption.integer("file_size_mb").withDefault(128L).withRange(1, 10240)
            .withDescription("Target size of a data file in MiB; a file is closed at the next batch boundary after reaching it.");
    public static final ConfigOption ROW_GROUP_MB = ConfigOption.integer("row_group_mb").withDefault(32L).withRange(1, 1024)
            .withDescription("Target Parquet row group size in MiB; one row group per open file is buffered in memory.");

    public static final ConfigOption CHECKPOINT_INTERVAL_SECONDS = ConfigOption.integer("checkpoint_interval_seconds").withDefault(300L)
            .withRange(1, 86_400).withDescription("A file open this long is closed at the next batch boundary too, so an incremental sync "
                    + "publishes its rows and commits its checkpoint at least this often.");

    public static final ConfigOption ENCODING_THREADS = ConfigOption.integer("encoding_threads").withDefault(0L).withRange(0, 16)
            .withDescription("Parquet files a stream encodes at the same time, each on its own thread, once it has written 100,000 rows"
                    + " (smaller syncs write one file). 0: half the machine's cores, at least 1. Encoding is the most expensive part of"
                    + " a copy; more threads pay off only with cores to spare (reading and the database use the others). Each thread"
                    + " holds one row group (row_group_mb) in memory.");

    public static final ConfigOption KEEP_JOB_MANIFESTS = ConfigOption.integer("keep_job_manifests").withDefault(100L).withRange(1, 1_000_000)
            .withDescription("Job manifests (_airbyte_internal/state/.../jobs/job-<id>.json) kept per stream: after each committed job the"
                    + " oldest beyond this number are deleted. The newest always stays.");

    public static final ConfigOption OVERWRITE_GRACE_PERIOD_MINUTES = ConfigOption.integer("overwrite_grace_period_minutes").withDefault(60L)
            .withRange(0, 525_600).withDescription("How long the files of a full_refresh_overwrite generation stay after a newer generation"
                    + " replaced it, so that a query that listed them before the switch still finds them. They are deleted by the stream's"
                    + " next overwrite after that, or when the server starts. 0 deletes them at once.");

    /** The options of this record, to include in a destination's spec. */
    public static final List<ConfigOption> OPTIONS = List.of(COMPRESSION, FILE_SIZE_MB, ROW_GROUP_MB, CHECKPOINT_INTERVAL_SECONDS,
            ENCODING_THREADS, KEEP_JOB_MANIFESTS, OVERWRITE_GRACE_PERIOD_MINUTES);

    public static final Duration DEFAULT_OVERWRITE_GRACE_PERIOD = Duration.ofMinutes(60);

    /** A format keeping the default number of job manifests and the default overwrite grace period. */
    public ParquetFormat(CompressionCodecName codec, long fileSizeBytes, long rowGroupBytes, Duration maxFileAge, int encodingThreads) {
        this(codec, fileSizeBytes, rowGroupBytes, maxFileAge, encodingThreads, 100, DEFAULT_OVERWRITE_GRACE_PERIOD);
    }

    public static final Duration DEFAULT_MAX_FILE_AGE = Duration.ofMinutes(5);
    /** Half the cores, at least one: reading the source and the database server use the other half. */
    public static final int DEFAULT_ENCODING_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    public static final ParquetFormat DEFAULT = new ParquetFormat(CompressionCodecName.SNAPPY, 128 * MB, 32 * MB);

    /** A format whose files roll by size, or after {@link #DEFAULT_MAX_FILE_AGE}. */
    public ParquetFormat(CompressionCodecName codec, long fileSizeBytes, long rowGroupBytes) {
        this(codec, fileSizeBytes, rowGroupBytes, DEFAULT_MAX_FILE_AGE);
    }

    public ParquetFormat(CompressionCodecName codec, long fileSizeBytes, long rowGroupBytes, Duration maxFileAge) {
        this(codec, fileSizeBytes, rowGroupBytes, maxFileAge, DEFAULT_ENCODING_THREADS);
    }

    /** This format with {@code threads} encoding threads. */
    public ParquetFormat withEncodingThreads(int threads) {
        return new ParquetFormat(codec, fileSizeBytes, rowGroupBytes, maxFileAge, threads, keepJobManifests, overwriteGracePeriod);
    }

    /** This format keeping replaced overwrite generations for {@code grace}. */
    public ParquetFormat withOverwriteGracePeriod(Duration grace) {
        return new ParquetFormat(codec, fileSizeBytes, rowGroupBytes, maxFileAge, encodingThreads, keepJobManifests, grace);
    }

    public ParquetFormat {
        Objects.requireNonNull(codec, "codec");
        if (!LakeCodecFactory.supports(codec)) {
            throw new IllegalArgumentException("unsupported Parquet compression " + codec);
        }
        if (fileSizeBytes < MB || rowGroupBytes < MB) {
            throw new IllegalArgumentException("file and row group sizes must be at least 1 MiB");
        }
        Objects.requireNonNull(maxFileAge, "maxFileAge");
        if (encodingThreads < 1) {
            throw new IllegalArgumentException("encodingThreads must be at least 1");
        }
        Objects.requireNonNull(overwriteGracePeriod, "overwriteGracePeriod");
        if (overwriteGracePeriod.isNegative()) {
            throw new IllegalArgumentException("the overwrite grace period must not be negative: " + overwriteGracePeriod);
        }
    }

    /** Reads the options of {@link #OPTIONS} from a config validated by a spec that declares them. */
    public static ParquetFormat from(ConnectorConfig config) {
        return new ParquetFormat(codec(config.string(COMPRESSION.name())), config.integer(FILE_SIZE_MB.name()) * MB,
                config.integer(ROW_GROUP_MB.name()) * MB, Duration.ofSeconds(config.integer(CHECKPOINT_INTERVAL_SECONDS.name())),
                encodingThreads((int) config.integer(ENCODING_THREADS.name())), (int) config.integer(KEEP_JOB_MANIFESTS.name()),
                Duration.ofMinutes(config.integer(OVERWRITE_GRACE_PERIOD_MINUTES.name())));
    }

    private static int encodingThreads(int configured) {
        return configured == 0 ? DEFAULT_ENCODING_THREADS : configured;
    }

    static CompressionCodecName codec(String name) {
        return switch (name) {
            case "snappy" -> CompressionCodecName.SNAPPY;
            case "zstd" -> CompressionCodecName.ZSTD;
            case "gzip" -> CompressionCodecName.GZIP;
            case "none" -> CompressionCodecName.UNCOMPRESSED;
            default -> throw new IllegalArgumentException("unknown compression '" + name + "'; the spec allows " + COMPRESSION.allowedValues());
        };
    }
}
