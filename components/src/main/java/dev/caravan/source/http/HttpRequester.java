package dev.caravan.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import dev.caravan.spi.NetworkSettings;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.routing.DefaultProxyRoutePlanner;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends the GET requests of one reader through Apache HttpClient 5 (the client camel-http wraps; used directly since
 * connectors do not depend on Camel): auth, timeouts, the instance's rate and concurrency limits, retries of 429/5xx/IO errors with
 * Retry-After or exponential backoff with jitter, and the mapping of other statuses to errors naming the fix.
 */
final class HttpRequester implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_WAIT_MS = 60_000;

    /** An open response whose body the caller reads and then closes; {@code ignored} responses have no body. */
    record Response(String url, int status, Map<String, String> headers, InputStream body, ClassicHttpResponse raw, Runnable onClose)
            implements AutoCloseable {
        boolean ignored() {
            return body == null;
        }

        @Override
        public void close() {
            try {
                if (raw != null) {
                    raw.close();
                }
            } catch (IOException ignored) {
                // nothing to release beyond the connection
            } finally {
                onClose.run();
            }
        }
    }

    private final HttpConfig config;
    private final HttpManifest.Requester settings;
    private final CloseableHttpClient client;
    private final InstanceLimits limits;
    private String accessToken;
    private long tokenExpiresAtMillis;

    private final int maxRetries;

    HttpRequester(HttpConfig config, int maxRetries) {
        this.config = config;
        this.settings = config.manifest().requester();
        this.maxRetries = maxRetries;
        Timeout timeout = Timeout.ofMilliseconds(settings.timeoutMs());
        NetworkSettings network = config.values().network();
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build());
        if (network.sslContext() != null) {
            connections.setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(network.sslContext()).buildClassic());
        }
        HttpClientBuilder builder = HttpClients.custom().disableAutomaticRetries().disableCookieManagement()
                .setConnectionManager(connections.build());
        if (network.proxyHost() != null) {
            builder.setRoutePlanner(new DefaultProxyRoutePlanner(new HttpHost(network.proxyHost(), network.proxyPort())) {
                @Override
                protected HttpHost determineProxy(HttpHost target, HttpContext context) throws HttpException {
                    return network.proxied(target.getHostName()) ? super.determineProxy(target, context) : null;
                }
            });
        }
        this.client = builder.build();
        this.limits = InstanceLimits.of(config);
    }

    /** GETs {@code url}, retrying what is transient; statuses in {@code ignore} give an ignored response. */
    Response get(String url, Map<String, String> headers, java.util.Set<Integer> ignore) {
        return send("GET", url, null, headers, ignore);
    }

    /** Sends {@code method} to {@code url} with a JSON {@code body} (null = none), as {@link #get}. */
    Response send(String method, String url, String body, Map<String, String> headers, java.util.Set<Integer> ignore) {
        String target = url;
        if ("api_key".equals(config.manifest().auth().type()) && "query".equals(config.manifest().auth().in())) {
            target += (url.contains("?") ? "&" : "?") + encode(config.manifest().auth().name()) + "=" + encode(config.value("api_key"));
        }
        boolean refreshedOn401 = false;
        for (int attempt = 0; ; attempt++) {
            limits.acquire();
            boolean handedOver = false;
            try {
                ClassicRequestBuilder request = ClassicRequestBuilder.create(method).setUri(target).addHeader("Accept", "application/json");
                if (body != null) {
                    request.setEntity(body, org.apache.hc.core5.http.ContentType.APPLICATION_JSON);
                }
                headers.forEach(request::addHeader);
                authorize(request);
                ClassicHttpResponse response;
                try {
                    response = execute(request, body);
                } catch (javax.net.ssl.SSLException e) {
                    throw CaravanException.config(method + " " + url + ": TLS failed (" + e.getMessage() + "). If the server's certificate "
                            + "is signed by a private CA, give its trust store to the server's Camel HTTP TLS settings (docs/connectors/http.md#tls-and-proxy)");
                } catch (IOException e) {
                    if (attempt >= maxRetries) {
                        throw new CaravanException(ErrorType.TRANSIENT, method + " " + url + " failed after " + (attempt + 1) + " attempts: " + e, e);
                    }
                    sleep(backoff(attempt));
                    continue;
                }
                int status = response.getCode();
                if (status < 300) {
                    try {
                        Response open = new Response(url, status, headersOf(response), response.getEntity().getContent(), response, limits.releaser());
                        handedOver = true;
                        return open;
                    } catch (IOException e) {
                        close(response);
                        throw new CaravanException(ErrorType.TRANSIENT, method + " " + url + ": cannot read the body: " + e, e);
                    }
                }
                String retryAfter = response.getFirstHeader("Retry-After") == null ? null : response.getFirstHeader("Retry-After").getValue();
                String excerpt = excerpt(response);
                if (status == 401 && "oauth2".equals(config.manifest().auth().type()) && !refreshedOn401) {
                    refreshedOn401 = true;
                    accessToken = null;
                    continue;
                }
                if (ignore.contains(status) || settings.ignoreStatus().contains(status)) {
                    return new Response(url, status, Map.of(), null, null, () -> { });
                }
                if (status == 429 || status >= 500) {
                    if (attempt >= maxRetries) {
                        throw new CaravanException(ErrorType.TRANSIENT, method + " " + url + " answered " + status + " after " + (attempt + 1)
                                + " attempts (requester.max_retries " + maxRetries + "): " + excerpt);
                    }
                    sleep(retryAfter != null && retryAfter.strip().matches("\\d+")
                            ? Math.min(MAX_WAIT_MS, Long.parseLong(retryAfter.strip()) * 1000) : backoff(attempt));
                    continue;
                }
                if (status == 401 || status == 403) {
                    throw CaravanException.config(method + " " + url + " answered " + status + " (not authorized): check option '"
                            + authOption() + "' of this source (auth type " + config.manifest().auth().type() + ")");
                }
                throw CaravanException.config(method + " " + url + " answered " + status + ": " + excerpt
                        + " (check the manifest's path and params, or list the status in ignore_status)");
            } finally {
                if (!handedOver) {
                    limits.release();
                }
            }
        }
    }

    /** Sends one attempt, telling the config's trace (if any) what was sent and answered. */
    private ClassicHttpResponse execute(ClassicRequestBuilder request, String body) throws IOException {
        if (config.trace() == null) {
            return client.executeOpen(null, request.build(), null);
        }
        long sent = System.nanoTime();
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Header h : request.getHeaders()) {
            headers.put(h.getName(), h.getValue());
        }
        try {
            ClassicHttpResponse response = client.executeOpen(null, request.build(), null);
            config.trace().accept(new HttpConfig.RequestTrace(request.getMethod(), request.getUri().toString(), headers, body,
                    response.getCode(), (System.nanoTime() - sent) / 1_000_000, null));
            return response;
        } catch (IOException e) {
            config.trace().accept(new HttpConfig.RequestTrace(request.getMethod(), request.getUri().toString(), headers, body, 0,
                    (System.nanoTime() - sent) / 1_000_000, e.toString()));
            throw e;
        }
    }

    private String authOption() {
        return switch (config.manifest().auth().type()) {
            case "api_key" -> "api_key";
            case "bearer" -> "token";
            case "basic" -> "username' / 'password";
            case "oauth2" -> "client_id' / 'client_secret" + ("refresh_token".equals(config.manifest().auth().grant()) ? "' / 'refresh_token" : "");
            default -> "(none: the manifest declares no auth; add an auth section)";
        };
    }

    private void authorize(ClassicRequestBuilder request) {
        HttpManifest.Auth auth = config.manifest().auth();
        switch (auth.type()) {
            case "api_key" -> {
                if ("header".equals(auth.in())) {
                    request.addHeader(auth.name(), config.value("api_key"));
                }
            }
            case "bearer" -> request.addHeader("Authorization", "Bearer " + config.value("token"));
            case "basic" -> request.addHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (config.value("username") + ":" + config.value("password")).getBytes(StandardCharsets.UTF_8)));
            case "oauth2" -> request.addHeader("Authorization", "Bearer " + token());
            default -> { }
        }
    }

    /** The cached OAuth2 access token, fetched again 30 s before it expires (or after a 401). */
    private String token() {
        if (accessToken != null && System.currentTimeMillis() < tokenExpiresAtMillis) {
            return accessToken;
        }
        HttpManifest.Auth auth = config.manifest().auth();
        String url = auth.tokenUrl().startsWith("http") ? auth.tokenUrl() : config.baseUrl() + auth.tokenUrl();
        StringBuilder form = new StringBuilder("grant_type=").append(auth.grant())
                .append("&client_id=").append(encode(config.value("client_id")))
                .append("&client_secret=").append(encode(config.value("client_secret")));
        if ("refresh_token".equals(auth.grant())) {
            form.append("&refresh_token=").append(encode(config.value("refresh_token")));
        }
        ClassicRequestBuilder request = ClassicRequestBuilder.post(url)
                .setEntity(form.toString(), org.apache.hc.core5.http.ContentType.APPLICATION_FORM_URLENCODED);
        try (ClassicHttpResponse response = client.executeOpen(null, request.build(), null)) {
            String body = EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            if (response.getCode() >= 400) {
                throw CaravanException.config("OAuth2 token request to " + url + " answered " + response.getCode()
                        + ": check options '" + authOption() + "'");
            }
            JsonNode node = JSON.readTree(body);
            if (!node.hasNonNull("access_token")) {
                throw CaravanException.config("OAuth2 token response from " + url + " has no access_token");
            }
            accessToken = node.get("access_token").asText();
            long expiresIn = node.path("expires_in").asLong(3600);
            tokenExpiresAtMillis = System.currentTimeMillis() + Math.max(0, expiresIn - 30) * 1000;
            return accessToken;
        } catch (IOException | org.apache.hc.core5.http.ParseException e) {
            throw new CaravanException(ErrorType.TRANSIENT, "OAuth2 token request to " + url + " failed: " + e, e);
        }
    }

    private long backoff(int attempt) {
        long base = settings.backoffMs() * (1L << Math.min(attempt, 10));
        return Math.min(MAX_WAIT_MS, base + ThreadLocalRandom.current().nextLong(settings.backoffMs() + 1));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaravanException(ErrorType.TRANSIENT, "interrupted while waiting to retry a request");
        }
    }

    private static Map<String, String> headersOf(ClassicHttpResponse response) {
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header h : response.getHeaders()) {
            headers.put(h.getName(), h.getValue());
        }
        return headers;
    }

    private static String excerpt(ClassicHttpResponse response) {
        try (response) {
            String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            return body.length() > 200 ? body.substring(0, 200) + "..." : body;
        } catch (Exception e) {
            return "(body unreadable)";
        }
    }

    private static void close(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException ignored) {
            // connections are gone either way
        }
    }
}
