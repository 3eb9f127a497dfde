package dev.caravan.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds the secrets a text setting carries inside an otherwise public value, and splits it into its public form and its
 * secret parts. Detected:
 * <ul>
 *   <li>the password of a URL's user information, {@code scheme://user:password@host} (a JDBC URL's {@code jdbc:} prefix
 *       and sub-protocols such as {@code mysql:loadbalance} do not matter: the authority after {@code //} is read with
 *       {@link URI}, multi-host authorities included);</li>
 *   <li>Oracle's {@code jdbc:oracle:thin:user/password@host};</li>
 *   <li>every {@code key=value} parameter whose key names a secret ({@link #isSecretKey}), at the start of the value or
 *       after {@code ?}, {@code &} or {@code ;}: URL queries, SQL Server and H2 style {@code ;password=} properties,
 *       {@code jdbc_params} pairs.</li>
 * </ul>
 * A secret written anywhere else (a bare token in a path, a key named innocently) is not found: such a value must go
 * into an option declared secret. Each part has a slot (where it sits: the user information, or the parameter's key)
 * so that a masked value sent back can have its parts restored from the stored value ({@link #restore}).
 */
public final class EmbeddedSecrets {
    /** The slot of a user-information password. */
    public static final String USERINFO = "userinfo";

    private static final Pattern PARAMETER = Pattern.compile("(?:^|[?&;])\\s*([A-Za-z0-9_.\\-]+)\\s*=([^&;#]*)");
    private static final Pattern ORACLE = Pattern.compile("(?i)^jdbc:oracle:[a-z0-9]+:[^/@:]*/([^@]*)@");
    private static final List<String> SECRET_WORDS = List.of("password", "passwd", "pwd", "secret", "token", "credential", "signature");

    /** A secret inside a value: {@code value.substring(start, end)}, named by its slot. */
    public record Part(String slot, int start, int end) {
        public String in(String value) {
            return value.substring(start, end);
        }
    }

    private EmbeddedSecrets() {
    }

    /** Whether a parameter of this name holds a secret: its name has password, pwd, secret, token... in it, or ends with "key". */
    public static boolean isSecretKey(String key) {
        String normalized = key.toLowerCase(Locale.ROOT).replaceAll("[_.\\-]", "");
        return SECRET_WORDS.stream().anyMatch(normalized::contains) || normalized.endsWith("key") || normalized.equals("sig");
    }

    /** The non-empty secret parts of {@code value}, in the order they appear; none for null. */
    public static List<Part> find(String value) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        List<Part> parts = new ArrayList<>();
        userInfoPassword(value).ifPresent(parts::add);
        Matcher oracle = ORACLE.matcher(value);
        if (oracle.find() && oracle.end(1) > oracle.start(1)) {
            parts.add(new Part(USERINFO, oracle.start(1), oracle.end(1)));
        }
        Matcher parameter = PARAMETER.matcher(value);
        while (parameter.find()) {
            if (isSecretKey(parameter.group(1)) && parameter.end(2) > parameter.start(2)
                    && parts.stream().noneMatch(p -> p.start() <= parameter.start(2) && parameter.start(2) < p.end())) {
                parts.add(new Part(parameter.group(1).toLowerCase(Locale.ROOT), parameter.start(2), parameter.end(2)));
            }
        }
        parts.sort(Comparator.comparingInt(Part::start));
        return List.copyOf(parts);
    }

    public static boolean contains(String value) {
        return !find(value).isEmpty();
    }

    /** {@code value} with each secret part replaced by {@link ConnectorSpec#MASK}: its public form. */
    public static String masked(String value) {
        return replaced(value, find(value), part -> ConnectorSpec.MASK);
    }

    /**
     * {@code given} with each part sent masked replaced by the part of the same slot in {@code stored}; empty when a masked
     * part has no counterpart there (nothing to keep). A value without masked parts is returned as it is.
     */
    public static Optional<String> restore(String given, String stored) {
        List<Part> masked = find(given).stream().filter(p -> ConnectorSpec.MASK.equals(p.in(given))).toList();
        if (masked.isEmpty()) {
            return Optional.of(given);
        }
        Map<String, String> kept = find(stored).stream().collect(Collectors.toMap(Part::slot, p -> p.in(stored), (first, second) -> first));
        if (!masked.stream().allMatch(p -> kept.containsKey(p.slot()))) {
            return Optional.empty();
        }
        return Optional.of(replaced(given, masked, p -> kept.get(p.slot())));
    }

    private static String replaced(String value, List<Part> parts, Function<Part, String> replacement) {
        if (parts.isEmpty()) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int at = 0;
        for (Part part : parts) {
            out.append(value, at, part.start()).append(replacement.apply(part));
            at = part.end();
        }
        return out.append(value, at, value.length()).toString();
    }

    /** The password of {@code scheme://user:password@host...}: the authority after the first "://", read by {@link URI}. */
    private static Optional<Part> userInfoPassword(String value) {
        int scheme = value.indexOf("://");
        if (scheme < 0) {
            return Optional.empty();
        }
        int authorityStart = scheme + 3;
        URI reference;
        try {
            // A network-path reference ("//authority/path?query") needs no scheme, so JDBC sub-protocols cannot confuse it.
            reference = new URI(value.substring(scheme + 1));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String userInfo = reference.getRawUserInfo();
        if (userInfo == null && reference.getRawAuthority() != null) {
            // A registry-based authority (several hosts, "h1:5432,h2:5432"): URI keeps it whole; user info ends at its last '@'.
            String authority = reference.getRawAuthority();
            int at = authority.lastIndexOf('@');
            userInfo = at < 0 ? null : authority.substring(0, at);
        }
        if (userInfo == null || !value.startsWith(userInfo, authorityStart)) {
            return Optional.empty();
        }
        int colon = userInfo.indexOf(':');
        if (colon < 0 || colon == userInfo.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Part(USERINFO, authorityStart + colon + 1, authorityStart + userInfo.length()));
    }
}
