package dev.caravan.hawtio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.hawtio.jolokia.JolokiaCaller;
import dev.caravan.hawtio.jolokia.RoleRestrictor;
import dev.caravan.jmx.ConnectionMBeans;
import dev.caravan.security.Role;
import dev.caravan.server.ServerSettings;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;


/**
 * Every role against every MBean of the running server (enumerated at test time): each readable attribute, writable
 * attribute and operation is checked against the rule below, by asking the restrictor Jolokia uses; everything the rule
 * denies is then also sent over HTTP and must be refused. Allowed writes and operations are not run over HTTP (some are
 * dangerous); AuthTest runs an allowed one ({@code syncNow} as editor).
 */
class JolokiaPermissionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TOKEN = "cvn_jolokia-permissions-admin-token-01234";
    private static final int BATCH = 400;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** MBeans whose operations no role may call over Jolokia (documented in docs/security.md). */
    private static final Set<String> NO_OPERATIONS = Set.of("com.sun.management:type=HotSpotDiagnostic",
            "com.sun.management:type=DiagnosticCommand", "jdk.management.jfr:type=FlightRecorder");
    /** The operations an editor may call, on {@code dev.caravan:type=Connection,name=*}. */
    private static final Set<String> EDITOR_OPERATIONS = Set.of("syncNow", "syncStreams", "reset", "replay");

    @TempDir
    static Path home;
    private static TestingServer server;
    private static final Map<Role, HttpJson> CLIENTS = new EnumMap<>(Role.class);

    enum Access { READ, WRITE, EXEC }

    /** One attribute or operation; {@code signature} is the operation's argument types, as Hawtio names it. */
    record Member(ObjectName mbean, Access access, String name, String signature) {
        String describe() {
            return access + " " + mbean + " " + name + (signature == null ? "" : "(" + signature + ")");
        }
    }

    /** The rule: everyone reads; viewers nothing else; editors a connection's sync (all or some streams), reset, replay; admins all but the denied. */
    static boolean allowed(Role role, Member member) {
        if (member.access() == Access.READ) {
            return true;
        }
        return switch (role) {
            case VIEWER -> false;
            case EDITOR -> member.access() == Access.EXEC && member.mbean().getDomain().equals(ConnectionMBeans.DOMAIN)
                    && "Connection".equals(member.mbean().getKeyProperty("type")) && EDITOR_OPERATIONS.contains(member.name());
            case ADMIN -> !deniedOutright(member);
        };
    }

    static boolean deniedOutright(Member member) {
        return member.access() == Access.EXEC && (NO_OPERATIONS.contains(member.mbean().getCanonicalName())
                || "MLet".equals(member.mbean().getKeyProperty("type")));
    }

    @BeforeAll
    static void start() {
        server = new TestingServer(home, Map.of(ServerSettings.AUTH_ENABLED, "true", ServerSettings.HAWTIO_ENABLED, "true",
                ServerSettings.AUTH_INITIAL_ADMIN_TOKEN, ADMIN_TOKEN));
        HttpJson admin = new HttpJson(server.apiUrl()).withToken(ADMIN_TOKEN);
        String lake = home.resolve("lake").toString().replace("\\", "/");
        assertThat(admin.postYaml("/apply", """
                sources: [{name: fake, connector: faker, config: {count: 20}}]
                destinations: [{name: lake, connector: local, config: {path: %s}}]
                connections: [{name: matrix, source: fake, destination: lake, streams: [{name: users}]}]
                """.formatted(lake)).status()).isEqualTo(200);
        assertThat(admin.post("/connections/sync", "{\"connection\":\"matrix\",\"wait\":true}").json().get("status").asText()).isEqualTo("succeeded");
        HttpJson root = new HttpJson(server.baseUrl());
        CLIENTS.put(Role.ADMIN, root.withToken(ADMIN_TOKEN));
        for (Role role : List.of(Role.VIEWER, Role.EDITOR)) {
            Response token = admin.post("/tokens", "{\"name\":\"" + role.configName() + "\",\"role\":\"" + role.configName() + "\"}");
            assertThat(token.status()).as(token.text()).isEqualTo(201);
            CLIENTS.put(role, root.withToken(token.json().get("token").asText()));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyRoleMayDoExactlyWhatTheRuleSaysOnEveryMBean() throws Exception {
        List<Member> members = members();
        assertThat(members).as("the server's MBeans").extracting(Member::describe)
                .contains("EXEC " + ConnectionMBeans.name("matrix") + " syncNow()", "EXEC com.sun.management:type=HotSpotDiagnostic dumpHeap(java.lang.String,boolean)")
                .anyMatch(d -> d.startsWith("WRITE java.lang:type=Memory Verbose"))
                .anyMatch(d -> d.startsWith("EXEC org.apache.camel:") && d.contains("type=routes") && d.contains(" remove()"));
        RoleRestrictor restrictor = new RoleRestrictor();
        List<String> wrong = new ArrayList<>();
        Map<Role, List<Member>> denied = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            try (JolokiaCaller.Scope scope = new JolokiaCaller(role, false, "http", "127.0.0.1", 1).enter()) {
                for (Member member : members) {
                    boolean expected = allowed(role, member);
                    for (String name : names(member)) {
                        boolean actual = switch (member.access()) {
                            case READ -> restrictor.isAttributeReadAllowed(member.mbean(), name);
                            case WRITE -> restrictor.isAttributeWriteAllowed(member.mbean(), name);
                            case EXEC -> restrictor.isOperationAllowed(member.mbean(), name);
                        };
                        if (actual != expected) {
                            wrong.add(role.configName() + " " + (actual ? "may" : "may not") + " " + member.access() + " " + member.mbean() + " " + name);
                        }
                    }
                    if (!expected) {
                        denied.computeIfAbsent(role, r -> new ArrayList<>()).add(member);
                    }
                }
            }
        }
        assertThat(wrong).as("restrictor decisions that break the rule").isEmpty();
        assertThat(denied.get(Role.VIEWER)).as("a viewer is denied every write and operation").hasSizeGreaterThan(100);
        Files.writeString(Path.of("target/jolokia-permissions.txt"), denied.entrySet().stream()
                .map(e -> e.getKey().configName() + ": " + e.getValue().size() + " of " + members.size() + " denied")
                .collect(Collectors.joining("\n", "", "\nadmin:\n" + denied.get(Role.ADMIN).stream().map(Member::describe).collect(Collectors.joining("\n")))));

        for (Map.Entry<Role, List<Member>> entry : denied.entrySet()) {
            refusedOverHttp(entry.getKey(), entry.getValue());
        }
    }

    /** Named in docs/security.md as admin-only: logging setters and removing a route (the matrix covers them too). */
    @Test
    void loggingSettersAndRouteRemovalAreForAdminsOnly() {
        ObjectName route = ManagementFactory.getPlatformMBeanServer().queryNames(pattern("org.apache.camel:type=routes,*"), null).iterator().next();
        ObjectName logging = pattern("java.util.logging:type=Logging");
        RoleRestrictor restrictor = new RoleRestrictor();
        for (Role role : Role.values()) {
            try (JolokiaCaller.Scope scope = new JolokiaCaller(role, false, "http", "127.0.0.1", 1).enter()) {
                assertThat(restrictor.isOperationAllowed(logging, "setLoggerLevel(java.lang.String,java.lang.String)")).as(role + " sets a log level")
                        .isEqualTo(role == Role.ADMIN);
                assertThat(restrictor.isOperationAllowed(route, "remove()")).as(role + " removes a route").isEqualTo(role == Role.ADMIN);
                assertThat(restrictor.isOperationAllowed(route, "stop()")).as(role + " stops a route").isEqualTo(role == Role.ADMIN);
            }
            Response setLevel = CLIENTS.get(role).post("/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":\"java.util.logging:type=Logging\","
                    + "\"operation\":\"setLoggerLevel\",\"arguments\":[\"dev.caravan.unused\",\"FINE\"]}");
            // An admin passes the check and reaches the MBean, which answers that no such logger exists (no level set).
            assertThat(setLevel.json().get("status").asInt()).as(setLevel.text()).isEqualTo(role == Role.ADMIN ? 400 : 403);
        }
    }

    @Test
    void allowedRequestsPassOverHttp() {
        String connection = ConnectionMBeans.name("matrix").toString();
        for (Role role : Role.values()) {
            Response read = CLIENTS.get(role).post("/hawtio/jolokia", "[{\"type\":\"read\",\"mbean\":" + quote(connection) + ",\"attribute\":\"LastJobStatus\"},"
                    + "{\"type\":\"list\",\"path\":\"dev.caravan\"},{\"type\":\"search\",\"mbean\":\"dev.caravan:*\"},{\"type\":\"version\"}]");
            assertThat(read.json().findValuesAsText("status")).as("%s: %s", role, read.text()).containsExactly("200", "200", "200", "200");
            assertThat(read.json().get(0).get("value").asText()).isEqualTo("succeeded");
            assertThat(CLIENTS.get(role).get("/hawtio/jolokia/read/java.lang:type=Memory/Verbose").json().get("status").asInt()).as("GET read").isEqualTo(200);
        }
        String camel = ManagementFactory.getPlatformMBeanServer().queryNames(pattern("org.apache.camel:type=context,*"), null)
                .iterator().next().toString();
        Response routes = CLIENTS.get(Role.ADMIN).post("/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":" + quote(camel) + ",\"operation\":\"dumpRoutesAsXml()\"}");
        assertThat(routes.json().get("status").asInt()).as(routes.text()).isEqualTo(200);
        assertThat(routes.json().get("value").asText()).contains("matrix.users");
        Response reset = CLIENTS.get(Role.EDITOR).post("/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":" + quote(connection) + ",\"operation\":\"reset()\"}");
        assertThat(reset.json().get("status").asInt()).as(reset.text()).isEqualTo(200);
        assertThat(reset.json().get("value").asText()).contains("users");
    }

    @Test
    void noRoleMakesAHeapDumpAndNoFileAppears() {
        String mbean = "com.sun.management:type=HotSpotDiagnostic";
        for (Role role : Role.values()) {
            Path dump = home.resolve("dump-" + role.configName() + ".hprof");
            Response response = CLIENTS.get(role).post("/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\","
                    + "\"operation\":\"dumpHeap(java.lang.String,boolean)\",\"arguments\":[" + quote(dump.toString()) + ",true]}");
            assertThat(response.json().get("status").asInt()).as("%s: %s", role, response.text()).isEqualTo(403);
            Response bare = CLIENTS.get(role).post("/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\","
                    + "\"operation\":\"dumpHeap\",\"arguments\":[" + quote(dump.toString()) + ",true]}");
            assertThat(bare.json().get("status").asInt()).as("%s: %s", role, bare.text()).isEqualTo(403);
            Response diagnostic = CLIENTS.get(role).post("/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                    + "\"operation\":\"gcHeapDump([Ljava.lang.String;)\",\"arguments\":[[" + quote(dump.toString()) + "]]}");
            assertThat(diagnostic.json().get("status").asInt()).as("%s: %s", role, diagnostic.text()).isEqualTo(403);
            assertThat(dump).as("no heap dump written for " + role).doesNotExist();
        }
    }

    @Test
    void getRequestsOnlyRead() {
        String connection = ConnectionMBeans.name("matrix").toString().replace("\"", "%22");
        HttpJson admin = CLIENTS.get(Role.ADMIN);
        long jobs = new HttpJson(server.apiUrl()).withToken(ADMIN_TOKEN).get("/jobs?connection=matrix").json().get("jobs").size();
        Response exec = admin.get("/hawtio/jolokia/exec/" + connection + "/syncNow");
        assertThat(exec.json().get("status").asInt()).as(exec.text()).isEqualTo(403);
        boolean verbose = ManagementFactory.getMemoryMXBean().isVerbose();
        Response write = admin.get("/hawtio/jolokia/write/java.lang:type=Memory/Verbose/" + !verbose);
        assertThat(write.json().get("status").asInt()).as(write.text()).isEqualTo(403);
        assertThat(ManagementFactory.getMemoryMXBean().isVerbose()).isEqualTo(verbose);
        assertThat(new HttpJson(server.apiUrl()).withToken(ADMIN_TOKEN).get("/jobs?connection=matrix").json().get("jobs").size())
                .as("no job started").isEqualTo(jobs);
    }

    @Test
    void crossOriginRequestsAreRefusedWithoutCorsHeaders() throws Exception {
        String body = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\"}";
        HttpResponse<String> evil = raw("POST", "http://evil.example", body);
        assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(evil.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(JSON.readTree(evil.body()).get("status").asInt()).as(evil.body()).isEqualTo(403);
        HttpResponse<String> preflight = raw("OPTIONS", "http://evil.example", null);
        assertThat(preflight.headers().map().keySet()).noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-allow"));
        HttpResponse<String> sandboxed = raw("POST", "null", body);
        assertThat(sandboxed.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(JSON.readTree(sandboxed.body()).get("status").asInt()).isEqualTo(403);

        HttpResponse<String> evilReferer = raw("POST", null, server.baseUrl().replace("127.0.0.1", "evil.example") + "/page", body);
        assertThat(JSON.readTree(evilReferer.body()).get("status").asInt()).as("Referer of another origin").isEqualTo(403);
        HttpResponse<String> ownReferer = raw("POST", null, server.baseUrl() + "/hawtio/jmx", body);
        assertThat(JSON.readTree(ownReferer.body()).get("status").asInt()).as("Referer of the own origin").isEqualTo(200);

        HttpResponse<String> own = raw("POST", server.baseUrl(), body);
        assertThat(JSON.readTree(own.body()).get("status").asInt()).as(own.body()).isEqualTo(200);
    }

    private static HttpResponse<String> raw(String method, String origin, String body) throws Exception {
        return raw(method, origin, null, body);
    }

    private static HttpResponse<String> raw(String method, String origin, String referer, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/hawtio/jolokia"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (referer != null) {
            request.header("Referer", referer);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body == null) {
            request.header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "authorization,content-type");
        }
        // a client of its own: a POST on a kept-alive connection the server has just closed is not retried by the JDK client
        return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectName pattern(String pattern) {
        try {
            return new ObjectName(pattern);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Sends every denied write and operation as the role, in bulk requests; each answer must be a refusal. */
    private static void refusedOverHttp(Role role, List<Member> members) {
        for (int from = 0; from < members.size(); from += BATCH) {
            List<Member> batch = members.subList(from, Math.min(members.size(), from + BATCH));
            ArrayNode requests = JSON.createArrayNode();
            for (Member member : batch) {
                ObjectNode request = requests.addObject();
                request.put("mbean", member.mbean().toString());
                if (member.access() == Access.WRITE) {
                    request.put("type", "write").put("attribute", member.name()).putNull("value");
                } else {
                    request.put("type", "exec").put("operation", member.name() + "(" + member.signature() + ")");
                }
            }
            Response response = CLIENTS.get(role).post("/hawtio/jolokia", requests.toString());
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            JsonNode answers = response.json();
            assertThat(answers.size()).isEqualTo(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                assertThat(answers.get(i).path("status").asInt()).as("%s: %s -> %s", role.configName(), batch.get(i).describe(), answers.get(i))
                        .isEqualTo(403);
            }
        }
    }

    /** The names Jolokia may be asked for: an attribute's; an operation's bare and with its signature. */
    private static List<String> names(Member member) {
        return member.access() == Access.EXEC ? List.of(member.name(), member.name() + "(" + member.signature() + ")") : List.of(member.name());
    }

    private static List<Member> members() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        List<Member> members = new ArrayList<>();
        for (ObjectName name : mbeans.queryNames(null, null)) {
            MBeanInfo info;
            try {
                info = mbeans.getMBeanInfo(name);
            } catch (javax.management.InstanceNotFoundException gone) {
                continue;
            }
            for (MBeanAttributeInfo attribute : info.getAttributes()) {
                if (attribute.isReadable()) {
                    members.add(new Member(name, Access.READ, attribute.getName(), null));
                }
                if (attribute.isWritable()) {
                    members.add(new Member(name, Access.WRITE, attribute.getName(), null));
                }
            }
            for (MBeanOperationInfo operation : info.getOperations()) {
                String signature = Arrays.stream(operation.getSignature()).map(MBeanParameterInfo::getType).collect(Collectors.joining(","));
                members.add(new Member(name, Access.EXEC, operation.getName(), signature));
            }
        }
        return members;
    }
}
