package dev.caravan.security;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/**
 * JAAS login of Hawtio and Jolokia against Caravan's API tokens: the user name is a token's name (or {@code token}
 * for a bearer token), the password its secret. A successful login adds a {@link UserPrincipal} and the token's
 * {@link RolePrincipal}. The {@link TokenService} comes in the options ({@link JaasRealm} puts it there).
 */
public final class CaravanLoginModule implements LoginModule {
    static final String TOKENS_OPTION = "caravan.tokens";

    private Subject subject;
    private CallbackHandler handler;
    private TokenService tokens;
    private Caller caller;
    private UserPrincipal user;
    private RolePrincipal role;

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
        this.tokens = (TokenService) options.get(TOKENS_OPTION);
    }

    @Override
    public boolean login() throws LoginException {
        if (tokens == null || handler == null) {
            throw new LoginException("the Caravan login module is not configured with a token store");
        }
        NameCallback name = new NameCallback("name");
        PasswordCallback password = new PasswordCallback("token", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new LoginException("cannot read the credentials: " + e.getMessage());
        }
        char[] secret = password.getPassword();
        Optional<Caller> found = tokens.authenticate(name.getName(), secret == null ? null : new String(secret));
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
        password.clearPassword();
        caller = found.orElseThrow(() -> new FailedLoginException("unknown user or token"));
        return true;
    }

    @Override
    public boolean commit() {
        if (caller == null) {
            return false;
        }
        user = new UserPrincipal(caller.name());
        role = new RolePrincipal(caller.role());
        subject.getPrincipals().add(user);
        subject.getPrincipals().add(role);
        return true;
    }

    @Override
    public boolean abort() {
        caller = null;
        return logout();
    }

    @Override
    public boolean logout() {
        if (subject != null && user != null) {
            subject.getPrincipals().remove(user);
            subject.getPrincipals().remove(role);
        }
        user = null;
        role = null;
        return true;
    }
}
