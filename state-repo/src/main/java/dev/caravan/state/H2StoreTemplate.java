package dev.caravan.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;

/**
 * A new embedded store as a copy of one migrated at build time (the build runs {@link #main}; the jar carries the file
 * as {@value #RESOURCE}) instead of running every migration through Flyway on a server's first start: on 2 cores that
 * took 0.6-0.9 s of the first start's critical path, the copy a few milliseconds. Used only where the copy is exactly what the
 * migrations would make: an H2 file that does not exist yet, opened without credentials (the build's store has
 * the default user) and with no URL option that shapes the database (cipher, compatibility mode, identifier case...).
 * The copy's migration history says when the build ran them. Anything else, or a jar without the file, migrates as before.
 */
public final class H2StoreTemplate {
    static final String RESOURCE = "db/h2-template/caravan-state.mv.db";
    private static final String PREFIX = "jdbc:h2:file:";
    /** URL options that only affect how this process uses the file, not what a new database is. */
    private static final Set<String> NEUTRAL_OPTIONS = Set.of("WRITE_DELAY", "DB_CLOSE_ON_EXIT", "DB_CLOSE_DELAY", "TRACE_LEVEL_FILE",
            "TRACE_LEVEL_SYSTEM_OUT", "LOCK_TIMEOUT", "AUTO_SERVER", "AUTO_SERVER_PORT", "ACCESS_MODE_DATA");

    private H2StoreTemplate() {
    }

    /**
     * Writes the template's copy where {@code jdbcUrl}'s database file would be created, when that is safe (see the class
     * comment); whether it did. Never replaces a file: a store created meanwhile by another process wins.
     */
    static boolean seed(String jdbcUrl, String user, String password) {
        Path file = newDatabaseFile(jdbcUrl, user, password);
        if (file == null) {
            return false;
        }
        try (InputStream template = H2StoreTemplate.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (template == null) {
                return false;
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".copying");
            try {
                Files.copy(template, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // Flyway creates the store as without a template, and reports what is wrong with the folder
        }
    }

    /** The {@code .mv.db} file a new database at {@code jdbcUrl} would get, or null when the template must not be used. */
    static Path newDatabaseFile(String jdbcUrl, String user, String password) {
        if (jdbcUrl == null || !jdbcUrl.startsWith(PREFIX) || (user != null && !user.isEmpty()) || (password != null && !password.isEmpty())) {
            return null;
        }
        String[] parts = jdbcUrl.substring(PREFIX.length()).split(";");
        for (int i = 1; i < parts.length; i++) {
            String option = parts[i].trim();
            int equals = option.indexOf('=');
            String key = (equals < 0 ? option : option.substring(0, equals)).trim().toUpperCase(Locale.ROOT);
            if (!option.isEmpty() && !NEUTRAL_OPTIONS.contains(key)) {
                return null;
            }
        }
        String name = parts[0].trim();
        if (name.startsWith("~/")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        if (!Path.of(name).isAbsolute()) {
            return null; // H2 resolves relative names its own way (./, its base folder) or refuses them
        }
        Path file = Path.of(name + ".mv.db");
        return Files.exists(file) || Files.exists(Path.of(name + ".h2.db")) ? null : file;
    }

    /** The build's step: migrates a new store in {@code args[0]} (a folder) and leaves it there, closed, as the template file. */
    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        Files.createDirectories(folder);
        Path name = folder.resolve("caravan-state");
        Files.deleteIfExists(Path.of(name + ".mv.db"));
        Files.deleteIfExists(Path.of(name + ".trace.db"));
        try (StateDatabase store = StateDatabase.open(PREFIX + name.toAbsolutePath() + ";WRITE_DELAY=0", "", "", false)) {
            if (!StateDatabase.isCurrent(store.dataSource())) {
                throw new IllegalStateException("the migrated template store is not at schema version " + StateDatabase.SCHEMA_VERSION);
            }
        }
        Files.deleteIfExists(Path.of(name + ".trace.db"));
    }
}
