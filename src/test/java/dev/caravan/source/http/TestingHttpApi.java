package dev.caravan.source.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server on 127.0.0.1 imitating three APIs (GitHub-like, Stripe-like, an offset/limit shop) and an OAuth2
 * token endpoint, with faults that fire once each: a 429 with Retry-After, a 500, a slow page. Data is deterministic
 * ({@link #REPOS}, {@link #issues}, {@link #charges}, {@link #products}) so tests compute expected records from it.
 */
public final class TestingHttpApi implements AutoCloseable {
    public static final String TOKEN = "gh-token", STRIPE_KEY = "sk_test_123", API_KEY = "shop-key", ACCOUNT = "acme";
    public static final String CLIENT_ID = "client", CLIENT_SECRET = "secret";
    /** Repositories of acme; "ghost" answers 404 for its issues. */
    public static final List<String> REPOS = List.of("alpha", "beta", "gamma", "ghost", "delta");
    public static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // answers leave at once: without it each response's last write waits for the client's delayed ACK (~40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor;
    public final Map<String, AtomicInteger> faults = new ConcurrentHashMap<>();
    public final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Requests each issued OAuth token is good for before it answers 401 (an expiring token). */
    public volatile int tokenUses = 3;
    private final Map<String, AtomicInteger> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokenCount = new AtomicInteger();
    public volatile int productCount = 23;
    /** Events served at /api/events (GET: ?since=&offset=&limit=; POST: the same as a JSON body), ascending by (at, id). */
    public final List<Map<String, Object>> events = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The JSON bodies of POST requests, in order. */
    public final List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());

    public TestingHttpApi() throws IOException {
        this(null);
    }

    /** Serves https with {@code tls} (its key store holds the server certificate) when not null. */
    public TestingHttpApi(javax.net.ssl.SSLContext tls) throws IOException {
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::handle);
        executor = java.util.concurrent.Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.start();
    }

    public String baseUrl() {
        return (server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Arms a fault that fires once more on the next request whose path and query contain {@code where}. */
    public void failOnce(String kind, String where) {
        faults.compute(kind + " " + where, (k, v) -> new AtomicInteger(v == null ? 1 : Math.max(0, v.get()) + 1));
    }

    public static List<Map<String, Object>> issues(String repo) {
        List<Map<String, Object>> out = new ArrayList<>();
        int n = repo.length() + 2; // alpha 7, beta 6, gamma 7, delta 7
        int base = REPOS.indexOf(repo) * 1000;
        for (int i = 1; i <= n; i++) {
            Map<String, Object> issue = new java.util.LinkedHashMap<>();
            issue.put("id", (long) base + i);
            issue.put("number", (long) i);
            issue.put("title", "Issue " + i + " of " + repo);
            issue.put("state", i % 3 == 0 ? "closed" : "open");
            issue.put("labels", i % 2 == 0 ? List.of(Map.of("name", "bug")) : List.of());
            issue.put("user", Map.of("login", "user" + i % 4));
            // issue 5 of beta has a malformed comment count: kept, with a NULLED change
            issue.put("comments", "beta".equals(repo) && i == 5 ? "many" : (Object) (long) (i * 2));
            issue.put("updated_at", T0.plusSeconds(3600L * i + base).toString());
            out.add(issue);
        }
        return out;
    }

    /** Two comments per issue of {@code repo}, an hour apart, the first at the issue's update. */
    public static List<Map<String, Object>> comments(String repo, int number) {
        Map<String, Object> issue = issues(repo).get(number - 1);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int j = 0; j < 2; j++) {
            out.add(Map.of("id", (Long) issue.get("id") * 10 + j, "body", "comment " + j + " on " + repo + "#" + number,
                    "updated_at", Instant.parse((String) issue.get("updated_at")).plusSeconds(3600L * j).toString()));
        }
        return out;
    }

    public static List<Map<String, Object>> charges() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 18; i >= 1; i--) { // newest first, like Stripe
            Map<String, Object> c = new java.util.LinkedHashMap<>();
            c.put("id", String.format("ch_%04d", i));
            c.put("amount", (long) i * 150);
            c.put("currency", i % 2 == 0 ? "usd" : "eur");
            c.put("paid", i % 5 != 0);
            c.put("created", 1_700_000_000L + i * 60);
            c.put("metadata", Map.of("order", "o" + i));
            out.add(c);
        }
        return out;
    }

    public static List<Map<String, Object>> products(int count) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Map<String, Object> p = new java.util.LinkedHashMap<>();
            p.put("sku", String.format("SKU-%03d", i));
            p.put("name", "Product \"" + i + "\" ü");
            p.put("price", i * 2.5);
            p.put("stock", (long) (i * 7 % 13));
            p.put("updated_at", T0.plusSeconds(60L * i).toString());
            out.add(p);
        }
        return out;
    }

    /** Events requests in their {@link #eventsDelayMs} now, and the most at once. */
    public final AtomicInteger inFlight = new AtomicInteger(), maxInFlight = new AtomicInteger();
    /** Milliseconds each events page takes before it is answered. */
    public volatile int eventsDelayMs;

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            requests.add(ex.getRequestMethod() + " " + path + (query.isEmpty() ? "" : "?" + query));
            Map<String, String> q = params(query);
            String target = path + "?" + query;
            if (fires("slow", target)) {
                sleep(300);
            }
            if (fires("429", target)) {
                ex.getResponseHeaders().add("Retry-After", "1");
                send(ex, 429, "{\"message\":\"rate limited\"}");
                return;
            }
            if (fires("500", target)) {
                send(ex, 500, "{\"message\":\"oops\"}");
                return;
            }
            if (path.equals("/oauth/token")) {
                token(ex);
                return;
            }
            if (path.startsWith("/orgs/") || path.startsWith("/repos/")) {
                if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    send(ex, 401, "{\"message\":\"Bad credentials\"}");
                    return;
                }
                github(ex, path, q);
            } else if (path.equals("/v1/charges")) {
                if (!authorized(ex, "Bearer " + STRIPE_KEY)) {
                    send(ex, 401, "{\"error\":{\"message\":\"Invalid API Key provided\"}}");
                    return;
                }
                stripe(ex, q);
            } else if (path.equals("/api/products")) {
                if (!API_KEY.equals(ex.getRequestHeaders().getFirst("X-Api-Key"))) {
                    send(ex, 403, "{\"detail\":\"bad key\"}");
                    return;
                }
                shop(ex, q);
            } else if (path.equals("/api/events")) {
                events(ex, q);
            } else if (path.equals("/broken")) {
                send(ex, 200, "{\"results\":[{\"sku\":\"A\"},{\"sku\":\"B\",\"na");
            } else {
                send(ex, 404, "{\"message\":\"Not Found\"}");
            }
        }
    }

    private boolean authorized(HttpExchange ex, String expected) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (expected.equals(auth)) {
            return true;
        }
        if (auth != null && auth.startsWith("Bearer ") && tokens.containsKey(auth.substring(7))) {
            return tokens.get(auth.substring(7)).decrementAndGet() >= 0;
        }
        return false;
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> form = params(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            send(ex, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = "tok" + tokenCount.incrementAndGet();
        tokens.put(token, new AtomicInteger(tokenUses));
        send(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":3600}");
    }

    public int tokensIssued() {
        return tokenCount.get();
    }

    private void github(HttpExchange ex, String path, Map<String, String> q) throws IOException {
        List<Map<String, Object>> all;
        String[] parts = path.split("/");
        if (path.equals("/orgs/" + ACCOUNT + "/repos")) {
            all = new ArrayList<>();
            for (int i = 0; i < REPOS.size(); i++) {
                all.add(Map.of("id", (long) i + 1, "name", REPOS.get(i), "full_name", ACCOUNT + "/" + REPOS.get(i),
                        "private", i % 2 == 1, "updated_at", T0.plusSeconds(i).toString()));
            }
        } else if (parts.length == 7 && parts[6].equals("comments") && REPOS.contains(parts[3])) {
            all = comments(parts[3], Integer.parseInt(parts[5]));
        } else if (parts.length == 5 && parts[4].equals("issues") && REPOS.contains(parts[3]) && !"ghost".equals(parts[3])) {
            all = new ArrayList<>();
            for (Map<String, Object> issue : issues(parts[3])) {
                if (!q.containsKey("since") || Instant.parse((String) issue.get("updated_at")).compareTo(Instant.parse(q.get("since"))) >= 0) {
                    all.add(issue);
                }
            }
        } else {
            send(ex, 404, "{\"message\":\"Not Found\"}");
            return;
        }
        int perPage = Integer.parseInt(q.getOrDefault("per_page", "30"));
        int page = Integer.parseInt(q.getOrDefault("page", "1"));
        List<Map<String, Object>> slice = all.subList(Math.min(all.size(), (page - 1) * perPage), Math.min(all.size(), page * perPage));
        if (page * perPage < all.size()) {
            Map<String, String> next = new java.util.LinkedHashMap<>(q);
            next.put("page", Integer.toString(page + 1));
            StringBuilder link = new StringBuilder(baseUrl() + path + "?");
            next.forEach((k, v) -> link.append(k).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
            ex.getResponseHeaders().add("Link", "<" + baseUrl() + path + "?page=1>; rel=\"first\", <"
                    + link.substring(0, link.length() - 1) + ">; rel=\"next\"");
        }
        send(ex, 200, JSON.writeValueAsString(slice));
    }

    private void stripe(HttpExchange ex, Map<String, String> q) throws IOException {
        List<Map<String, Object>> all = charges();
        int limit = Integer.parseInt(q.getOrDefault("limit", "10"));
        int from = 0;
        if (q.containsKey("starting_after")) {
            while (from < all.size() && !all.get(from).get("id").equals(q.get("starting_after"))) {
                from++;
            }
            from++;
        }
        List<Map<String, Object>> slice = all.subList(Math.min(from, all.size()), Math.min(all.size(), from + limit));
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        body.set("data", JSON.valueToTree(slice));
        body.put("has_more", from + limit < all.size()).put("url", "/v1/charges");
        send(ex, 200, JSON.writeValueAsString(body));
    }

    private void shop(HttpExchange ex, Map<String, String> q) throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> p : products(productCount)) {
            if (!q.containsKey("updated_since") || Instant.parse((String) p.get("updated_at")).compareTo(Instant.parse(q.get("updated_since"))) >= 0) {
                all.add(p);
            }
        }
        int offset = Integer.parseInt(q.getOrDefault("offset", "0"));
        int limit = Integer.parseInt(q.getOrDefault("limit", "10"));
        ObjectNode body = JSON.createObjectNode().put("total", all.size());
        ArrayNode results = body.putArray("results");
        all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit)).forEach(p -> results.add(JSON.valueToTree(p)));
        send(ex, 200, JSON.writeValueAsString(body));
    }

    /** Adds an event {id, at, kind} (at = T0 plus {@code minutes}). */
    public void event(long id, long minutes, String kind) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("id", id);
        event.put("at", T0.plusSeconds(60 * minutes).toString());
        event.put("kind", kind);
        events.add(event);
    }

    private void events(HttpExchange ex, Map<String, String> q) throws IOException {
        Map<String, String> p = new HashMap<>(q);
        if ("POST".equals(ex.getRequestMethod())) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            JSON.readTree(body).fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue().asText()));
        }
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            sleep(eventsDelayMs);
        } finally {
            inFlight.decrementAndGet();
        }
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (events) {
            for (Map<String, Object> e : events) {
                if (!p.containsKey("since") || Instant.parse((String) e.get("at")).compareTo(Instant.parse(p.get("since"))) >= 0) {
                    all.add(e);
                }
            }
        }
        all.sort(java.util.Comparator.comparing((Map<String, Object> e) -> (String) e.get("at")).thenComparing(e -> (Long) e.get("id")));
        int offset = Integer.parseInt(p.getOrDefault("offset", "0"));
        int limit = Integer.parseInt(p.getOrDefault("limit", "100"));
        ObjectNode body = JSON.createObjectNode();
        body.set("items", JSON.valueToTree(all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit))));
        send(ex, 200, JSON.writeValueAsString(body));
    }

    private boolean fires(String kind, String target) {
        for (Map.Entry<String, AtomicInteger> f : faults.entrySet()) {
            if (f.getKey().startsWith(kind + " ") && target.contains(f.getKey().substring(kind.length() + 1))
                    && f.getValue().getAndDecrement() > 0) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> params(String query) {
        Map<String, String> out = new HashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
