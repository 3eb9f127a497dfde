package dev.caravan.config;

import java.util.regex.Pattern;

/**
 * The rules names, namespaces and prefixes follow. The records reject violations (programming errors);
 * the parser reports them as problems with the same wording, so the two can never disagree.
 */
final class ConfigRules {
    static final String NAME_RULE = "use 1 to 63 lowercase letters, digits, '_' or '-', starting with a letter or digit"
            + " (names become file names and route ids)";
    static final String PREFIX_RULE = "use only letters, digits, '_', '.' or '-'";
    static final String NAMESPACE_RULE = "use letters, digits, '_', '.' or '-', with '/' between nested segments"
            + " (no leading, trailing or double '/', no '.' or '..' segment)";
    static final String STREAM_NAME_RULE = "use a non-blank name without '/', '\\' or control characters, other than '.' or '..'";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]*");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.{1,2}(/|$)");
    private static final Pattern STREAM_NAME_FORBIDDEN = Pattern.compile("[/\\\\\\p{Cntrl}]");

    private ConfigRules() {
    }

    static boolean isName(String value) {
        return NAME.matcher(value).matches();
    }

    static final String WEBHOOK_RULE = "use an absolute http:// or https:// URL, e.g. https://hooks.example.com/caravan";

    static boolean isWebhook(java.net.URI uri) {
        return uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    }

    static boolean isPrefix(String value) {
        return PREFIX.matcher(value).matches();
    }

    /** Empty (the destination's root) or nested segments; '.' and '..' would escape the destination's folder. */
    static boolean isNamespace(String value) {
        return value.isEmpty() || (NAMESPACE.matcher(value).matches() && !DOT_SEGMENT.matcher(value).find());
    }

    /** Stream names come from source catalogs and may hold any letters, but they end up in paths. */
    static boolean isStreamName(String value) {
        return !value.isBlank() && !value.equals(".") && !value.equals("..") && !STREAM_NAME_FORBIDDEN.matcher(value).find();
    }

    static String requireName(String value, String what) {
        if (value == null || !isName(value)) {
            throw new IllegalArgumentException(what + " '" + value + "': " + NAME_RULE);
        }
        return value;
    }

    static String requireNonBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
