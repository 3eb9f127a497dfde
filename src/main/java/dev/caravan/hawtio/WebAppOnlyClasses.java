package dev.caravan.hawtio;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Copies class files of the server into a directory for a web application's class path. A class that implements an
 * interface of a library inside the WAR (Jolokia's {@code Restrictor}) must be defined by the web application's class
 * loader: Jetty loads a web application's own classes first, so it defines these copies itself, and resolves everything
 * else they use (Caravan's classes, the WAR's libraries) as usual.
 */
final class WebAppOnlyClasses {
    private WebAppOnlyClasses() {
    }

    /**
     * Copies the class files of {@code classNames} (top-level classes without nested ones) under {@code directory}, which
     * is returned. The classes are not loaded here: they need the WAR's libraries to link.
     */
    static Path copy(Path directory, String... classNames) {
        for (String className : classNames) {
            String file = className.replace('.', '/') + ".class";
            Path target = directory.resolve(file);
            try (InputStream in = WebAppOnlyClasses.class.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new IOException("class file " + file + " not found");
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new CaravanException(ErrorType.CONFIG, "Cannot copy " + file + " for the Hawtio console to " + target + ": "
                        + e.getMessage() + "; check that " + directory + " is writable, or set caravan.hawtio.enabled=false", e);
            }
        }
        return directory;
    }
}
