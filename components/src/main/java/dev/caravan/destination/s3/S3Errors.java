package dev.caravan.destination.s3;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns AWS SDK failures into Caravan errors that name the cause and the fix: a missing bucket, wrong keys, a wrong
 * region, missing credentials or permissions are config errors; throttling, 5xx and unreachable endpoints are
 * transient. Messages never contain a key: for authentication failures only the error code of the server is shown.
 */
final class S3Errors {
    private static final Pattern EXPECTED_REGION = Pattern.compile("expecting '([a-z0-9-]+)'");

    private S3Errors() {
    }

    static CaravanException of(String action, S3LakeConfig config, SdkException e) {
        String head = "Cannot " + action + " " + config.location() + ": ";
        if (e instanceof S3Exception s3) {
            return service(head, config, s3);
        }
        return client(head, config, e);
    }

    private static CaravanException service(String head, S3LakeConfig config, S3Exception e) {
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
        int status = e.statusCode();
        String serverMessage = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? "" : e.awsErrorDetails().errorMessage();
        Optional<String> bucketRegion = bucketRegion(e, serverMessage);
        switch (code) {
            case "NoSuchBucket":
                return config(head + "the bucket '" + config.bucket() + "' does not exist (NoSuchBucket). Fix: create the bucket, or correct 'bucket'"
                        + (config.endpoint() == null ? "" : " and 'endpoint'") + ".", e);
            case "InvalidAccessKeyId":
                return config(head + "the server does not know the access key id (InvalidAccessKeyId). Fix: correct access_key_id and"
                        + " secret_access_key" + credentialsHint(config) + ".", e);
            case "SignatureDoesNotMatch":
                return config(head + "the request signature does not match (SignatureDoesNotMatch): the secret access key is wrong"
                        + " for this access key id. Fix: correct secret_access_key" + credentialsHint(config) + ".", e);
            case "ExpiredToken", "InvalidToken", "TokenRefreshRequired":
                return new CaravanException(ErrorType.TRANSIENT, head + "the session credentials are expired or invalid (" + code + ")."
                        + " Fix: refresh them (the default credential chain does so for roles); static keys cannot carry a session token.", e);
            case "AuthorizationHeaderMalformed", "PermanentRedirect", "IllegalLocationConstraintException", "Redirect":
                return wrongRegion(head, config, code, bucketRegion, e);
            case "AccessDenied", "AllAccessDisabled", "AccountProblem":
                return config(head + "access denied (" + code + "). Fix: allow these credentials s3:ListBucket, s3:ListBucketMultipartUploads,"
                        + " s3:GetObject, s3:PutObject, s3:DeleteObject and s3:AbortMultipartUpload on the bucket and prefix"
                        + " (check the bucket policy and KMS key policy too).", e);
            case "NoSuchUpload":
                return new CaravanException(ErrorType.TRANSIENT, head + "the multipart upload disappeared (NoSuchUpload), e.g. removed by a"
                        + " lifecycle rule or another writer of the same stream. The sync resumes from its last checkpoint.", e);
            case "EntityTooSmall", "InvalidPart", "InvalidPartOrder", "MalformedXML":
                return new CaravanException(ErrorType.SYSTEM, head + "the server rejected a multipart upload (" + code + ": " + serverMessage
                        + "); this is a defect in Caravan, please report it.", e);
            default:
                break;
        }
        if (status == 301 || status == 307 || (status == 400 && bucketRegion.isPresent())) {
            return wrongRegion(head, config, code.isEmpty() ? "HTTP " + status : code, bucketRegion, e);
        }
        if (status == 403) {
            return config(head + "forbidden (HTTP 403" + (code.isEmpty() ? "" : ", " + code) + "). Fix: check the keys or role and the"
                    + " bucket policy: the credentials need s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject and"
                    + " s3:AbortMultipartUpload on the bucket and prefix.", e);
        }
        if (status == 404 && code.isEmpty()) {
            return config(head + "not found (HTTP 404). Fix: check 'bucket', 'endpoint' and 'path_style_access'"
                    + " (S3-compatible stores usually need path_style_access: true).", e);
        }
        if (status == 429 || status >= 500 || code.equals("SlowDown") || code.equals("RequestTimeout")) {
            return new CaravanException(ErrorType.TRANSIENT, head + "the server is busy or failing (" + describe(code, status, serverMessage)
                    + "); the sync is retried from its last checkpoint.", e);
        }
        return config(head + "the server refused the request (" + describe(code, status, serverMessage) + ").", e);
    }

    private static CaravanException client(String head, S3LakeConfig config, SdkException e) {
        String endpoint = config.endpoint() == null ? "AWS S3" : config.endpoint().toString();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException) {
                return config(head + "the host of " + endpoint + " is unknown (" + t.getMessage() + "). Fix: correct 'endpoint'"
                        + (config.endpoint() == null ? " or 'region'" : "") + ", or use path_style_access: true when the store"
                        + " does not resolve bucket.host names.", e);
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new CaravanException(ErrorType.TRANSIENT, head + endpoint + " is unreachable (" + t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + t.getMessage()) + "). Fix: check that the store is running and that"
                        + " 'endpoint' names its host and port; a firewall or proxy may block it.", e);
            }
            if (t instanceof SocketTimeoutException) {
                return new CaravanException(ErrorType.TRANSIENT, head + endpoint + " did not answer in time (" + t.getMessage() + ").", e);
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("unable to load credentials") || lower.contains("credentials") && lower.contains("provider")) {
            return config(head + "no credentials were found. Fix: set access_key_id and secret_access_key, or give the server"
                    + " credentials through the default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE with"
                    + " ~/.aws/credentials, a web identity token (EKS), or a container/instance role.", e);
        }
        if (lower.contains("unable to load region")) {
            return config(head + "no region is configured. Fix: set 'region' (e.g. us-east-1) or AWS_REGION.", e);
        }
        if (e instanceof SdkClientException) {
            return new CaravanException(ErrorType.TRANSIENT, head + message, e);
        }
        return new CaravanException(ErrorType.SYSTEM, head + message, e);
    }

    private static CaravanException wrongRegion(String head, S3LakeConfig config, String code, Optional<String> bucketRegion, S3Exception e) {
        String configured = config.region() == null ? "the default region" : "region " + config.region();
        return config(head + "the bucket is not in " + configured + " (" + code + ")"
                + bucketRegion.map(r -> "; it is in " + r + ". Fix: set region: " + r + ".")
                        .orElse(". Fix: set 'region' to the bucket's region (see its properties in the S3 console)."), e);
    }

    /** The bucket's region from the x-amz-bucket-region header or an AuthorizationHeaderMalformed message. */
    private static Optional<String> bucketRegion(S3Exception e, String serverMessage) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().sdkHttpResponse() != null) {
            Optional<String> header = e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
            if (header.isPresent()) {
                return header;
            }
        }
        Matcher m = EXPECTED_REGION.matcher(serverMessage);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String credentialsHint(S3LakeConfig config) {
        return config.staticKeys() ? ", or remove both to use the default credential chain"
                : " through the default credential chain (environment, profile, role), or set access_key_id and secret_access_key";
    }

    private static String describe(String code, int status, String message) {
        return (code.isEmpty() ? "HTTP " + status : code + ", HTTP " + status) + (message.isEmpty() ? "" : ": " + message);
    }

    private static CaravanException config(String message, Throwable cause) {
        return new CaravanException(ErrorType.CONFIG, message, cause);
    }
}
