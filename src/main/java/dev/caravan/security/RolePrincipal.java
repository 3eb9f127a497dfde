package dev.caravan.security;

import java.io.Serializable;
import java.security.Principal;
import java.util.Objects;

/** The role of a Hawtio session; Hawtio checks it against {@code hawtio.roles} ({@code hawtio.rolePrincipalClasses} names this class). */
public final class RolePrincipal implements Principal, Serializable {
    private static final long serialVersionUID = 1L;
    private final Role role;

    public RolePrincipal(Role role) {
        this.role = Objects.requireNonNull(role, "role");
    }

    /** By role name (admin, editor, viewer); Hawtio creates role principals of its configured class this way. */
    public RolePrincipal(String role) {
        this(Role.parse(role).orElseThrow(() -> new IllegalArgumentException("unknown role '" + role + "'; use one of " + Role.names())));
    }

    public Role role() {
        return role;
    }

    @Override
    public String getName() {
        return role.configName();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RolePrincipal other && other.role == role;
    }

    @Override
    public int hashCode() {
        return role.hashCode();
    }

    @Override
    public String toString() {
        return "RolePrincipal[" + role.configName() + "]";
    }
}
