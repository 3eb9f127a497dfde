package dev.caravan.catalog;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * The class loader of one plugin: its own jars, over a parent that shows only the JDK and the connector SDK
 * ({@code dev.caravan.spi}). A plugin therefore brings every library it uses, in the version it wants, and two plugins
 * carrying different versions of one library (two JDBC drivers, say) each see their own; nothing of the server's class
 * path (Camel, Jackson, the built-in connectors, the server's own drivers) is visible to it. The SDK types are shared
 * with the server so that the server can call the plugin through them.
 */
final class PluginClassLoader extends URLClassLoader {
    static {
        ClassLoader.registerAsParallelCapable();
    }

    PluginClassLoader(String origin, List<URL> jars, ClassLoader host) {
        super("plugin " + origin, jars.toArray(URL[]::new), new SdkOnly(host));
    }

    /** Delegates the SDK's package to the server's loader, everything else to the JDK's platform loader only. */
    static final class SdkOnly extends ClassLoader {
        static final String SDK_PACKAGE = "dev.caravan.spi.";

        static {
            ClassLoader.registerAsParallelCapable();
        }

        private final ClassLoader host;

        SdkOnly(ClassLoader host) {
            super("caravan-sdk", ClassLoader.getPlatformClassLoader());
            this.host = host;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(SDK_PACKAGE) && name.indexOf('.', SDK_PACKAGE.length()) < 0) {
                return host.loadClass(name);
            }
            // the platform loader (the parent) holds the JDK: java.*, javax.*, java.sql, ...; anything else is not found
            return super.loadClass(name, resolve);
        }
    }
}
