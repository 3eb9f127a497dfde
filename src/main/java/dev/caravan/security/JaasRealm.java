package dev.caravan.security;

import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;

/**
 * Installs the JAAS realm {@value #NAME} (Hawtio's {@code hawtio.realm}) as the JVM's login configuration, checked by
 * {@link CaravanLoginModule} against this server's tokens. Other realms are answered by the configuration that was
 * there before (e.g. from {@code java.security.auth.login.config}), which {@link #close} puts back.
 */
public final class JaasRealm extends Configuration implements AutoCloseable {
    public static final String NAME = "caravan";
    private final Configuration previous;
    private final AppConfigurationEntry[] entries;

    private JaasRealm(Configuration previous, TokenService tokens) {
        this.previous = previous;
        this.entries = new AppConfigurationEntry[] {new AppConfigurationEntry(CaravanLoginModule.class.getName(), LoginModuleControlFlag.REQUIRED,
                Map.of(CaravanLoginModule.TOKENS_OPTION, tokens))};
    }

    public static JaasRealm install(TokenService tokens) {
        Configuration previous;
        try {
            previous = Configuration.getConfiguration();
        } catch (SecurityException e) {
            previous = null; // no login configuration file: nothing else to answer
        }
        JaasRealm realm = new JaasRealm(previous instanceof JaasRealm ours ? ours.previous : previous, tokens);
        Configuration.setConfiguration(realm);
        return realm;
    }

    @Override
    public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        if (NAME.equals(name)) {
            return entries.clone();
        }
        return previous == null ? null : previous.getAppConfigurationEntry(name);
    }

    @Override
    public void close() {
        try {
            if (Configuration.getConfiguration() == this) {
                Configuration.setConfiguration(previous);
            }
        } catch (SecurityException e) {
            // nothing was there before us
        }
    }
}
