package dev.caravan.security;

import java.util.Objects;

/** Who sent a request: the name of the token it carried and that token's role. */
public record Caller(String name, Role role) {
    /** The request attribute under which the API's auth filter leaves the caller for the handlers. */
    public static final String ATTRIBUTE = "caravan.caller";

    /** Every request when authentication is off (loopback only): nobody is asked who they are. */
    public static final Caller LOCAL = new Caller("local", Role.ADMIN);

    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
