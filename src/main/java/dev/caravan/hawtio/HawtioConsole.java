package dev.caravan.hawtio;

import dev.caravan.api.HttpServer;
import dev.caravan.security.JaasRealm;
import dev.caravan.security.RolePrincipal;
import dev.caravan.security.TokenService;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.SecretRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hawtio console (the {@code io.hawt:hawtio-war} WAR the build puts on the class path) as a web application of the
 * server's Jetty at {@value #CONTEXT_PATH}, with its Jolokia agent at {@code /hawtio/jolokia} on the platform MBean
 * server (Camel's route MBeans, the connection MBeans). The WAR is copied to {@code <work>/hawtio.war} once and
 * unpacked by Jetty under {@code <work>/webapp}, kept between starts; the server starts the web application on its
 * first request.
 *
 * <p>Hawtio reads its settings from system properties, so they are set here: with authentication on, logins go to
 * the JAAS realm {@link JaasRealm#NAME} (Caravan's tokens), role checking is on (roles admin, editor, viewer carried by
 * {@link RolePrincipal}), a request without credentials gets 401, and the proxy to other Jolokia agents is off.
 * {@link JolokiaAccessFilter} tells Jolokia who calls; Jolokia's restrictor {@code RoleRestrictor} (named in
 * {@code hawtio/override-web.xml}) applies the policy of the caller's role.
 */
public final class HawtioConsole {
    public static final String CONTEXT_PATH = "/hawtio";
    private static final Logger LOG = LoggerFactory.getLogger(HawtioConsole.class);
    private static final String WAR_RESOURCE = "hawtio/hawtio.war";
    private static final String OVERRIDE_DESCRIPTOR = "hawtio/override-web.xml";
    /** Named, not loaded: outside the web application there are no Jolokia classes to link it against. */
    private static final String RESTRICTOR = "dev.caravan.hawtio.jolokia.RoleRestrictor";

    private HawtioConsole() {
    }

    /**
     * Serves the console on {@code http}, started on its first request (a server nobody opens it on never pays its
     * start); false (logged) when the class path has no Hawtio WAR.
     *
     * @param tokens the token store when authentication is on, else null (the console is then open, on loopback only)
     */
    public static boolean serve(HttpServer http, Path workDirectory, TokenService tokens, SecretRegistry secrets) {
        Optional<WebAppContext> console = create(workDirectory, tokens, secrets);
        console.ifPresent(http::addContextStartedOnFirstRequest);
        return console.isPresent();
    }

    /**
     * The console's web application, or empty (logged) when the class path has no Hawtio WAR.
     *
     * @param tokens the token store when authentication is on, else null (the console is then open, on loopback only)
     */
    static Optional<WebAppContext> create(Path workDirectory, TokenService tokens, SecretRegistry secrets) {
        ClassLoader loader = HawtioConsole.class.getClassLoader();
        URL war = loader.getResource(WAR_RESOURCE);
        if (war == null) {
            LOG.warn("No Hawtio console: {} is not on the class path (build with `mvn package`, which copies it from Maven Central)", WAR_RESOURCE);
            return Optional.empty();
        }
        Path warFile = copy(war, workDirectory);
        WebAppContext webapp = new WebAppContext();
        boolean authenticated = tokens != null;
        // Hawtio reads them when it starts (on its first request, see HttpServer): set then, not now, so that another
        // server created in this JVM in between (tests) cannot have set its own
        webapp.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                configure(authenticated);
            }
        });
        webapp.setContextPath(CONTEXT_PATH);
        webapp.setWar(warFile.toString());
        webapp.setTempDirectory(workDirectory.resolve("webapp").toFile());
        webapp.setTempDirectoryPersistent(true);
        webapp.setThrowUnavailableOnStartupException(true);
        // The console's session cookie is not sent with requests other sites make (Jolokia writes through a session).
        webapp.getSessionHandler().setSameSite(HttpCookie.SameSite.STRICT);
        // Hawtio logs through the server's SLF4J (and so its logback configuration), not the WAR's own copy.
        webapp.getProtectedClassMatcher().add("org.slf4j.");
        webapp.addOverrideDescriptor(loader.getResource(OVERRIDE_DESCRIPTOR).toExternalForm());
        webapp.setExtraClasspath(WebAppOnlyClasses.copy(workDirectory.resolve("webapp-classes"), RESTRICTOR).toString());
        webapp.setAttribute(JolokiaAccessFilter.SECRETS_ATTRIBUTE, Objects.requireNonNull(secrets, "secrets"));
        if (tokens != null) {
            webapp.setAttribute(JolokiaAccessFilter.TOKENS_ATTRIBUTE, tokens);
        }
        return Optional.of(webapp);
    }

    private static void configure(boolean authenticated) {
        System.setProperty("hawtio.authenticationEnabled", Boolean.toString(authenticated));
        System.setProperty("hawtio.realm", JaasRealm.NAME);
        System.setProperty("hawtio.roles", "admin,editor,viewer");
        // Hawtio skips role checks when this is blank.
        System.setProperty("hawtio.rolePrincipalClasses", RolePrincipal.class.getName());
        System.setProperty("hawtio.noCredentials401", "true");
        System.setProperty("hawtio.disableProxy", "true");
        // Hawtio throttles failed logins per user name, and every bearer token logs in as user "token": a few bad bearer
        // requests would lock every bearer client out. Token secrets are 256 random bits; throttling adds no safety.
        System.setProperty("hawtio.authenticationThrottled", "false");
        System.clearProperty("hawtio.auth"); // would override authenticationEnabled
        // Hawtio's Jolokia servlet takes jolokia.* system properties over its configuration: these would replace the role policies.
        System.clearProperty("jolokia.restrictorClass");
        System.clearProperty("jolokia.policyLocation");
    }

    /** Copies the WAR out of the jar unless the same one (size and time) is there already. */
    private static Path copy(URL war, Path workDirectory) {
        Path target = workDirectory.resolve("hawtio.war");
        try {
            URLConnection connection = war.openConnection();
            long size = connection.getContentLengthLong();
            long modified = connection.getLastModified();
            if (Files.isRegularFile(target) && Files.size(target) == size && Files.getLastModifiedTime(target).toMillis() == modified) {
                return target;
            }
            Files.createDirectories(workDirectory);
            Path temp = workDirectory.resolve("hawtio.war.tmp");
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (modified > 0) {
                Files.setLastModifiedTime(temp, FileTime.fromMillis(modified));
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new CaravanException(ErrorType.CONFIG, "Cannot copy the Hawtio console to " + target + ": " + e.getMessage()
                    + "; check that " + workDirectory + " is writable, or set caravan.hawtio.enabled=false", e);
        }
    }
}
