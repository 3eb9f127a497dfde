package dev.caravan.destination.s3;

import dev.caravan.destination.parquet.ParquetFormat;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.EmbeddedSecrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The validated configuration of the S3 destination. {@code region}, {@code endpoint}, {@code accessKeyId} and
 * {@code secretAccessKey} may be null: the SDK's default region chain, AWS S3 itself, and the SDK's default
 * credential chain. {@code prefix} is empty or ends with '/'. {@link #toString()} never shows the keys.
 */
public record S3LakeConfig(String bucket, String region, URI endpoint, boolean pathStyleAccess, String prefix,
                           String accessKeyId, String secretAccessKey, ParquetFormat format) {

    public static final ConfigOption BUCKET = ConfigOption.string("bucket").asRequired()
            .withDescription("Name of the bucket the lake is written to; it must exist.");
    public static final ConfigOption REGION = ConfigOption.string("region")
            .withDescription("Region of the bucket, e.g. eu-west-1. Empty: the AWS SDK's default region chain (AWS_REGION, profile),"
                    + " else us-east-1 (what most S3-compatible stores expect).");
    public static final ConfigOption ENDPOINT = ConfigOption.string("endpoint")
            .withDescription("Endpoint of an S3-compatible store (MinIO, Garage, Ceph, S3Proxy…), e.g. http://minio:9000. Empty: AWS S3.");
    public static final ConfigOption PATH_STYLE_ACCESS = ConfigOption.bool("path_style_access").withDefault(false)
            .withDescription("Address the bucket as endpoint/bucket instead of bucket.endpoint; most S3-compatible stores need true.");
    public static final ConfigOption BUCKET_PREFIX = ConfigOption.string("bucket_prefix").withDefault("")
            .withDescription("Path inside the bucket under which everything is written (raw/, snapshot/, _airbyte_internal/), e.g. lakes/prod."
                    + " Empty: the bucket root.");
    public static final ConfigOption ACCESS_KEY_ID = ConfigOption.string("access_key_id").asSecret()
            .withDescription("Static access key id. Leave both keys out to use the AWS SDK's default credential chain: environment,"
                    + " profile, web identity token, container or instance role.");
    public static final ConfigOption SECRET_ACCESS_KEY = ConfigOption.string("secret_access_key").asSecret()
            .withDescription("Secret of the static access key id; set both keys or neither.");

    /** Every option of the destination, in spec order. */
    public static final List<ConfigOption> OPTIONS = concat(List.of(BUCKET, REGION, ENDPOINT, PATH_STYLE_ACCESS, BUCKET_PREFIX,
            ACCESS_KEY_ID, SECRET_ACCESS_KEY), ParquetFormat.OPTIONS);

    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9\\-]*");

    public S3LakeConfig {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(format, "format");
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("a bucket prefix ends with '/': " + prefix);
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("set both static keys or neither");
        }
    }

    /** Reads a config validated by {@link S3Destination#spec()}; reports every problem the spec cannot check at once. */
    public static S3LakeConfig from(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        String bucket = config.string(BUCKET.name());
        if (!BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
            problems.add(new ConfigProblem(BUCKET.name(), bucket, "is not a bucket name: 3 to 63 lowercase letters, digits, '.' and '-',"
                    + " starting and ending with a letter or digit; give the name only, without s3:// or a path (put a path in bucket_prefix)"));
        }
        String region = blankToNull(config.string(REGION.name()));
        if (region != null && !REGION_NAME.matcher(region).matches()) {
            problems.add(new ConfigProblem(REGION.name(), region, "is not a region name; use one such as us-east-1 or eu-west-1"));
        }
        URI endpoint = endpoint(blankToNull(config.string(ENDPOINT.name())), problems);
        String prefix = prefix(config.string(BUCKET_PREFIX.name()), problems);
        String keyId = blankToNull(config.string(ACCESS_KEY_ID.name()));
        String secret = blankToNull(config.string(SECRET_ACCESS_KEY.name()));
        if (keyId != null && secret == null) {
            problems.add(new ConfigProblem(SECRET_ACCESS_KEY.name(), null, "is required when access_key_id is set; set both or neither"
                    + " (neither = the AWS SDK's default credential chain)"));
        } else if (keyId == null && secret != null) {
            problems.add(new ConfigProblem(ACCESS_KEY_ID.name(), null, "is required when secret_access_key is set; set both or neither"
                    + " (neither = the AWS SDK's default credential chain)"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new S3LakeConfig(bucket, region, endpoint, config.bool(PATH_STYLE_ACCESS.name()), prefix, keyId, secret, ParquetFormat.from(config));
    }

    public boolean staticKeys() {
        return accessKeyId != null;
    }

    /** Where the lake is, for messages: {@code s3://bucket/prefix (endpoint …, region …)}. */
    public String location() {
        return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint) + (region == null ? "" : " (region " + region + ")");
    }

    @Override
    public String toString() {
        return "S3LakeConfig[" + location() + ", path_style_access=" + pathStyleAccess + ", credentials="
                + (staticKeys() ? "static keys " + ConnectorSpec.MASK : "default chain") + ", " + format + "]";
    }

    private static URI endpoint(String raw, List<ConfigProblem> problems) {
        if (raw == null) {
            return null;
        }
        try {
            URI uri = new URI(raw.strip());
            if (uri.getRawUserInfo() != null) {
                problems.add(new ConfigProblem(ENDPOINT.name(), EmbeddedSecrets.masked(raw), "must not carry credentials (user:password@);"
                        + " put them in access_key_id and secret_access_key, which are stored encrypted and masked"));
                return null;
            }
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) && uri.getQuery() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problems.add(new ConfigProblem(ENDPOINT.name(), EmbeddedSecrets.masked(raw), "is not an endpoint URL; write scheme, host and port only, e.g. http://minio:9000"
                + " or https://s3.eu-central-1.amazonaws.com (the bucket goes in bucket, a path in bucket_prefix)"));
        return null;
    }

    private static String prefix(String raw, List<ConfigProblem> problems) {
        String trimmed = raw == null ? "" : raw.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return "";
        }
        for (String segment : trimmed.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.chars().anyMatch(Character::isISOControl)
                    || segment.indexOf('\\') >= 0) {
                problems.add(new ConfigProblem(BUCKET_PREFIX.name(), raw, "is not a relative path: no leading '/', empty, '.' or '..'"
                        + " segments, backslashes or control characters; e.g. lakes/prod"));
                return "";
            }
        }
        return trimmed + "/";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static List<ConfigOption> concat(List<ConfigOption> first, List<ConfigOption> rest) {
        List<ConfigOption> all = new ArrayList<>(first);
        all.addAll(rest);
        return List.copyOf(all);
    }
}
