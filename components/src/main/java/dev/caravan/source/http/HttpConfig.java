package dev.caravan.source.http;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The options of the {@code http} source: which manifest to run, and the values (secrets included) it interpolates. */
record HttpConfig(HttpManifest manifest, String baseUrl, ConnectorConfig values, Instant startDate, java.util.function.Consumer<RequestTrace> trace) {

    /** One attempt of a request, as sent (auth included: mask before showing) and answered; status 0 when it failed. */
    record RequestTrace(String method, String url, java.util.Map<String, String> headers, String body, int status, long millis, String error) {}

    /** This config, telling {@code trace} about every request attempt. */
    HttpConfig withTrace(java.util.function.Consumer<RequestTrace> trace) {
        return new HttpConfig(manifest, baseUrl, values, startDate, trace);
    }

    /** The options of a connector bound to one manifest: all but 'manifest'. */
    static List<ConfigOption> boundOptions() {
        return OPTIONS.stream().filter(option -> !option.name().equals("manifest")).toList();
    }

    static final List<ConfigOption> OPTIONS = List.of(
            ConfigOption.string("manifest").asRequired()
                    .withDescription("Path of the YAML manifest describing the API (see docs/connectors/http.md), e.g. connector-catalog/http/manifests/github.yaml."),
            ConfigOption.string("base_url")
                    .withDescription("Overrides the manifest's base_url (e.g. a proxy or a test server); empty = the manifest's."),
            ConfigOption.string("account")
                    .withDescription("Account, organisation or workspace the manifest names as {{config.account}} in paths and parameters."),
            ConfigOption.string("api_key").asSecret().withDescription("API key, for manifests with auth type api_key."),
            ConfigOption.string("token").asSecret().withDescription("Bearer token, for manifests with auth type bearer."),
            ConfigOption.string("username").withDescription("User name, for manifests with auth type basic."),
            ConfigOption.string("password").asSecret().withDescription("Password, for manifests with auth type basic."),
            ConfigOption.string("client_id").withDescription("OAuth2 client id, for manifests with auth type oauth2."),
            ConfigOption.string("client_secret").asSecret().withDescription("OAuth2 client secret, for manifests with auth type oauth2."),
            ConfigOption.string("refresh_token").asSecret().withDescription("OAuth2 refresh token, for oauth2 manifests with grant refresh_token."),
            ConfigOption.string("start_date")
                    .withDescription("ISO-8601 instant: the first incremental sync reads records whose cursor is at or after it; empty = everything."));

    static HttpConfig from(ConnectorConfig config) {
        return from(config, null);
    }

    /** {@link #from(ConnectorConfig)} for a connector bound to one manifest ({@code boundManifest} non-null): no 'manifest' option. */
    static HttpConfig from(ConnectorConfig config, Path boundManifest) {
        Path path = boundManifest != null ? boundManifest : Path.of(config.string("manifest"));
        if (!Files.isRegularFile(path)) {
            throw CaravanException.config("option 'manifest': no file at '" + path.toAbsolutePath() + "'; give the path of a YAML manifest");
        }
        HttpManifest manifest = HttpManifest.load(path);
        Instant start = null;
        if (config.string("start_date") != null && !config.string("start_date").isBlank()) {
            try {
                start = Instant.parse(config.string("start_date"));
            } catch (DateTimeParseException e) {
                throw CaravanException.config("option 'start_date': '" + config.string("start_date")
                        + "' is not an ISO-8601 instant; write e.g. 2024-01-01T00:00:00Z");
            }
        }
        String base = config.string("base_url") == null || config.string("base_url").isBlank() ? manifest.baseUrl() : config.string("base_url");
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            throw CaravanException.config("option 'base_url' (or the manifest's base_url): '" + base + "' must start with http:// or https://");
        }
        String authType = manifest.auth().type();
        for (String needed : switch (authType) {
            case "api_key" -> List.of("api_key");
            case "bearer" -> List.of("token");
            case "basic" -> List.of("username", "password");
            case "oauth2" -> "refresh_token".equals(manifest.auth().grant())
                    ? List.of("client_id", "client_secret", "refresh_token") : List.of("client_id", "client_secret");
            default -> List.<String>of();
        }) {
            if (config.string(needed) == null || config.string(needed).isBlank()) {
                throw CaravanException.config("option '" + needed + "' is required by the manifest's auth type " + authType);
            }
        }
        return new HttpConfig(manifest, base.endsWith("/") ? base.substring(0, base.length() - 1) : base, config, start, null);
    }

    /** The value of a config option by name, for {{config.NAME}}; null when unset. */
    String value(String name) {
        return values.spec().optionNames().contains(name) ? values.string(name) : null;
    }
}
