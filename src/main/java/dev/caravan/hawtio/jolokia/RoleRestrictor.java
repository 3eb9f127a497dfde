package dev.caravan.hawtio.jolokia;

import dev.caravan.security.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.DenyAllRestrictor;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

/**
 * Jolokia's access check for Caravan's roles: one Jolokia {@link PolicyRestrictor} per role, loaded from
 * {@code hawtio/jolokia-access-<role>.xml}, chosen per request by the caller's role ({@link JolokiaCaller}). A GET
 * request gets the viewer policy whatever the role: writes and operations need POST. Without a caller (outside a
 * request that passed {@code JolokiaAccessFilter}) nothing is allowed. Cross-origin requests are refused and never
 * answered with CORS headers ({@link JolokiaCaller#isOwnOrigin}).
 *
 * <p>Jolokia instantiates this class by name ({@code restrictorClass}) inside the Hawtio web application, against the
 * WAR's own Jolokia classes, so the server copies this one class file into the web application's class path
 * ({@code HawtioConsole}); it must stay a single class without nested or anonymous classes.
 */
public final class RoleRestrictor implements Restrictor {
    public static final String POLICY_RESOURCE = "hawtio/jolokia-access-%s.xml";
    private static final Restrictor NOBODY = new DenyAllRestrictor();

    private final Map<Role, Restrictor> policies = new EnumMap<>(Role.class);

    public RoleRestrictor() {
        for (Role role : Role.values()) {
            policies.put(role, load(role));
        }
    }

    private static Restrictor load(Role role) {
        String resource = String.format(POLICY_RESOURCE, role.configName());
        try (InputStream in = RoleRestrictor.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Jolokia policy " + resource + " is missing from the class path");
            }
            return new PolicyRestrictor(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Jolokia policy " + resource, e);
        }
    }

    private Restrictor policy() {
        Optional<JolokiaCaller> caller = JolokiaCaller.current();
        if (caller.isEmpty()) {
            return NOBODY;
        }
        return policies.get(caller.get().readOnlyMethod() ? Role.VIEWER : caller.get().role());
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return policy().isHttpMethodAllowed(method);
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return policy().isTypeAllowed(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return policy().isAttributeReadAllowed(name, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return policy().isAttributeWriteAllowed(name, attribute);
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        return policy().isOperationAllowed(name, operation);
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return policy().isRemoteAccessAllowed(hostOrAddress);
    }

    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        return JolokiaCaller.current().map(caller -> caller.isOwnOrigin(origin)).orElse(false);
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return policy().isObjectNameHidden(name);
    }

    @Override
    public boolean ignoreScheme() {
        return false;
    }
}
