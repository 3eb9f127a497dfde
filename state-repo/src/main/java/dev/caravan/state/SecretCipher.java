package dev.caravan.state;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secret configuration values before they are stored (AES-256-GCM, a fresh 96-bit IV per value), as
 * {@code enc:v1:<base64(iv | ciphertext | tag)>}. Values without that prefix are returned as they are, so a store written
 * before encryption still reads.
 */
public final class SecretCipher {
    public static final String PREFIX = "enc:v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(byte[] key) {
        if (key.length != 32) {
            throw new CaravanException(ErrorType.CONFIG, "The master key must be 32 bytes (256 bits); it has " + key.length
                    + ". Generate one with: head -c 32 /dev/urandom | base64");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public String encrypt(String plain) {
        if (isEncrypted(plain)) {
            return plain;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw CaravanException.system("Cannot encrypt a secret", e);
        }
    }

    public String decrypt(String stored) {
        if (!isEncrypted(stored)) {
            return stored;
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CaravanException(ErrorType.CONFIG, "A stored secret cannot be decrypted: the master key differs from the one it was "
                    + "encrypted with, or the value was altered. Restore the original master key (CARAVAN_MASTER_KEY or caravan.master-key-file)", e);
        }
    }
}
