package dev.caravan.security;

import dev.caravan.service.ApiException;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.state.TokenRecord;
import dev.caravan.state.TokenRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens: created with a role and shown once, stored as a SHA-256 hash of their secret (a secret is 256 random
 * bits, so a plain hash is enough), checked on every request, revoked by deleting them. A token is sent as
 * {@code Authorization: Bearer <secret>}, or as basic auth with the token's name as user and its secret as password
 * (the Hawtio login form).
 */
public final class TokenService {
    /** The user name Hawtio gives a bearer token; any token's secret is accepted under it. */
    static final String BEARER_USER = "token";
    static final String ADMIN = "admin";
    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    private static final String PREFIX = "cvn_";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final int MIN_GIVEN_SECRET = 20;
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final TokenRepository repository;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, Instant> touched = new ConcurrentHashMap<>();

    /** A token just created: the only moment its secret is known. */
    public record NewToken(TokenRecord token, String secret) {
        @Override
        public String toString() {
            return "NewToken[" + token + "]";
        }
    }

    public TokenService(TokenRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    public NewToken create(String name, String roleText, String createdBy) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(new ConfigProblem("name", name, "use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit, e.g. ci-deploy"));
        }
        Optional<Role> role = roleText == null ? Optional.empty() : Role.parse(roleText);
        if (role.isEmpty()) {
            problems.add(new ConfigProblem("role", roleText, "use one of " + Role.names()));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        NewToken created = store(name, role.get(), newSecret(), createdBy);
        LOG.info("API token '{}' ({}) created by {}", name, role.get().configName(), createdBy);
        return created;
    }

    public List<TokenRecord> list() {
        return repository.list();
    }

    /** Deletes a token; the last admin token cannot be revoked (nobody could manage tokens any more). */
    public synchronized void revoke(String name, String revokedBy) {
        TokenRecord token = repository.find(name).orElseThrow(() -> ApiException.notFound("token", name));
        if (token.role().equals(Role.ADMIN.configName()) && repository.count(token.role()) <= 1) {
            throw ApiException.conflict("token '" + name + "' is the last admin token; create another admin token before revoking it");
        }
        repository.delete(name);
        touched.remove(name);
        LOG.info("API token '{}' ({}) revoked by {}", name, token.role(), revokedBy);
    }

    /**
     * The caller a secret belongs to. {@code user} is the basic-auth user name: the token's name, or empty or
     * {@value #BEARER_USER} for a bearer token.
     */
    public Optional<Caller> authenticate(String user, String secret) {
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        Optional<TokenRecord> found = repository.findBySecretHash(hash(secret));
        if (found.isEmpty() || !(user == null || user.isEmpty() || user.equals(BEARER_USER) || user.equals(found.get().name()))) {
            return Optional.empty();
        }
        TokenRecord token = found.get();
        Optional<Role> role = Role.parse(token.role());
        if (role.isEmpty()) {
            LOG.warn("API token '{}' has unknown role '{}' in the metadata store; it is refused", token.name(), token.role());
            return Optional.empty();
        }
        touch(token.name());
        return Optional.of(new Caller(token.name(), role.get()));
    }

    /** Whether the named token still exists: sessions opened with a token end when it is revoked. */
    public boolean exists(String name) {
        return repository.find(name).isPresent();
    }

    /**
     * Makes sure an admin token exists (run at start when authentication is on). When none does, creates token
     * {@value #ADMIN} with {@code givenSecret} (e.g. from a deployment's secret store) or a new random secret, which is
     * returned so it can be shown once.
     */
    public synchronized Optional<String> ensureAdmin(String givenSecret) {
        if (repository.count(Role.ADMIN.configName()) > 0) {
            return Optional.empty();
        }
        String secret = givenSecret == null || givenSecret.isBlank() ? newSecret() : givenSecret;
        if (secret.length() < MIN_GIVEN_SECRET) {
            throw new ConfigException(new ConfigProblem("caravan.auth.initial-admin-token", "(" + secret.length() + " characters)",
                    "use at least " + MIN_GIVEN_SECRET + " random characters, or leave it empty to have one generated"));
        }
        String name = ADMIN;
        for (int i = 2; repository.find(name).isPresent(); i++) {
            name = ADMIN + "-" + i;
        }
        store(name, Role.ADMIN, secret, "caravan");
        return Optional.of(secret);
    }

    private NewToken store(String name, Role role, String secret, String createdBy) {
        TokenRecord token = new TokenRecord(name, role.configName(), hash(secret), Instant.now(), createdBy, null);
        if (!repository.insert(token)) {
            throw ApiException.conflict("token '" + name + "' exists already; revoke it first or choose another name");
        }
        return new NewToken(token, secret);
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Records when a token was last used, at most once a minute per token (one write, not one per request). */
    private void touch(String name) {
        Instant now = Instant.now();
        Instant last = touched.get(name);
        if (last == null || last.plus(TOUCH_EVERY).isBefore(now)) {
            touched.put(name, now);
            repository.touch(name, now);
        }
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
