package dev.caravan.source.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** The validated configuration of a {@code files} source. */
record FileSourceConfig(Storage storage, Path folder, S3Settings s3, List<FileStreamSpec> streams, boolean reingestModified,
                        boolean failOnUnreadable, int maxHistoryFiles) {

    enum Storage { LOCAL, S3 }

    /** Where an S3 bucket is and how to sign in (static keys, else the AWS SDK's default credential chain). */
    record S3Settings(String bucket, String region, String endpoint, boolean pathStyleAccess, String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "S3Settings[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + "]";
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");

    static final List<ConfigOption> OPTIONS = List.of(
            ConfigOption.string("storage").withDefault("local").withAllowedValues("local", "s3")
                    .withDescription("Where the files are: a local folder (option 'path') or an S3 bucket (option 'bucket')."),
            ConfigOption.string("path").withDescription("The local folder the streams' globs are relative to (storage local)."),
            ConfigOption.string("bucket").withDescription("The S3 bucket the streams' globs are relative to (storage s3)."),
            ConfigOption.string("region").withDescription("The bucket's region; empty = us-east-1."),
            ConfigOption.string("endpoint").withDescription("An S3-compatible endpoint, e.g. http://127.0.0.1:9000 (MinIO, S3Proxy); empty = AWS."),
            ConfigOption.bool("path_style_access").withDefault(false)
                    .withDescription("Address the bucket as endpoint/bucket (most S3-compatible stores) instead of bucket.endpoint."),
            ConfigOption.string("access_key_id").asSecret()
                    .withDescription("Static access key id; empty = the AWS SDK's default credential chain (environment, profile, instance role)."),
            ConfigOption.string("secret_access_key").asSecret().withDescription("Secret access key, with access_key_id."),
            ConfigOption.string("streams").asRequired()
                    .withDescription("The streams, as a YAML or JSON list: each {name, globs, format: csv|jsonl|json|parquet, compression, "
                            + "primary_key, schema, infer_rows, infer_files, and for CSV delimiter, quote_char, escape_char, header, "
                            + "column_names, encoding, null_values, skip_rows} (see docs/connectors/files.md)."),
            ConfigOption.string("modified_files").withDefault("reingest").withAllowedValues("reingest", "ignore")
                    .withDescription("A file ingested before whose size, modification time or ETag changed: read again whole (reingest) or skipped (ignore)."),
            ConfigOption.string("unreadable_files").withDefault("fail").withAllowedValues("fail", "skip")
                    .withDescription("A file that cannot be read (broken compression, not the declared format): fail the stream, or skip the "
                            + "file and name it with the reason in the job's warnings."),
            ConfigOption.integer("max_history_files").withDefault(10_000).withRange(100, 1_000_000)
                    .withDescription("How many ingested files the state remembers per stream; beyond, the oldest are forgotten and files "
                            + "not newer than them are not read again."));

    static FileSourceConfig from(ConnectorConfig config) {
        Storage storage = Storage.valueOf(config.string("storage").toUpperCase());
        Path folder = null;
        S3Settings s3 = null;
        if (storage == Storage.LOCAL) {
            String path = config.string("path");
            if (path == null || path.isBlank()) {
                throw CaravanException.config("option 'path' is required with storage local: give the folder the files are in");
            }
            folder = Path.of(path);
            if (!Files.isDirectory(folder)) {
                throw CaravanException.config("option 'path': '" + path + "' is not a folder (" + folder.toAbsolutePath()
                        + "); give an existing folder the server can read");
            }
        } else {
            String bucket = config.string("bucket");
            if (bucket == null || !BUCKET.matcher(bucket).matches()) {
                throw CaravanException.config("option 'bucket': '" + bucket + "' is not a bucket name; give 3-63 lower-case letters, digits, '.' or '-'");
            }
            String keyId = blankToNull(config.string("access_key_id"));
            String secret = blankToNull(config.string("secret_access_key"));
            if ((keyId == null) != (secret == null)) {
                throw CaravanException.config("options 'access_key_id' and 'secret_access_key' go together: give both, or neither to use "
                        + "the default credential chain");
            }
            String endpoint = blankToNull(config.string("endpoint"));
            if (endpoint != null && !endpoint.matches("https?://[^\\s/]+(/.*)?")) {
                throw CaravanException.config("option 'endpoint': '" + endpoint + "' is not an http(s) URL; give e.g. http://127.0.0.1:9000");
            }
            String region = blankToNull(config.string("region"));
            s3 = new S3Settings(bucket, region == null ? "us-east-1" : region, endpoint, config.bool("path_style_access"), keyId, secret);
        }
        return new FileSourceConfig(storage, folder, s3, parseStreams(config.string("streams")), "reingest".equals(config.string("modified_files")),
                "fail".equals(config.string("unreadable_files")), (int) config.integer("max_history_files"));
    }

    FileStorage open() {
        return storage == Storage.LOCAL ? new LocalFileStorage(folder) : new S3FileStorage(s3);
    }

    FileStreamSpec stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> CaravanException.config("the files source has no stream '" + name + "'; its streams are "
                        + streams.stream().map(FileStreamSpec::name).toList()));
    }

    private static List<FileStreamSpec> parseStreams(String text) {
        Object raw;
        try {
            raw = YAML.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw CaravanException.config("option 'streams' is not valid YAML or JSON (line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage() + "); give a list of streams, see docs/connectors/files.md");
        }
        return FileStreamSpec.parseAll(raw);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
