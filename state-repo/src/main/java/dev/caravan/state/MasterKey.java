package dev.caravan.state;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the master key that encrypts stored secrets: the base64 text of {@code CARAVAN_MASTER_KEY} when set, else the
 * key file (created with a random key, readable by the owner only, on first start).
 */
public final class MasterKey {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);

    private MasterKey() {
    }

    public static byte[] load(String fromEnvironment, Path file) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return decode(fromEnvironment.trim(), "CARAVAN_MASTER_KEY");
        }
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                // created owner-only before a byte of the key is written
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                LOG.warn("Cannot restrict the permissions of {}: keep it private", file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            LOG.warn("Generated a new master key in {}: it encrypts the secrets stored in the metadata store. Back it up; "
                    + "without it stored passwords cannot be read. (Set CARAVAN_MASTER_KEY to provide your own.)", file);
            return key;
        } catch (IOException e) {
            throw new CaravanException(ErrorType.CONFIG, "Cannot read or create the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] decode(String base64, String where) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new CaravanException(ErrorType.CONFIG, "The master key in " + where + " is not base64; generate one with: head -c 32 /dev/urandom | base64");
        }
    }
}
