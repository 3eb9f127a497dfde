package dev.caravan.security;

import java.io.Serializable;
import java.security.Principal;
import java.util.Objects;

/**
 * The token a Hawtio session was opened with. Hawtio finds the user name by this class's simple name
 * ({@code UserPrincipal}), so it must keep it.
 */
public final class UserPrincipal implements Principal, Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;

    public UserPrincipal(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserPrincipal other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "UserPrincipal[" + name + "]";
    }
}
