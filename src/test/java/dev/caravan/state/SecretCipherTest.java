package dev.caravan.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.CaravanException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
    private static final byte[] KEY = new byte[32];

    @Test
    void valuesRoundTripAndEncryptDifferentlyEachTime() {
        SecretCipher cipher = new SecretCipher(KEY);
        String a = cipher.encrypt("hunter2");
        String b = cipher.encrypt("hunter2");
        assertThat(a).startsWith("enc:v1:").doesNotContain("hunter2").isNotEqualTo(b);
        assertThat(cipher.decrypt(a)).isEqualTo("hunter2");
        assertThat(cipher.encrypt(a)).as("already encrypted").isEqualTo(a);
        assertThat(cipher.decrypt("plain")).as("values stored before encryption still read").isEqualTo("plain");
    }

    @Test
    void aWrongKeyOrAlteredValueIsAClearError() {
        String sealed = new SecretCipher(KEY).encrypt("hunter2");
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> new SecretCipher(other).decrypt(sealed)).isInstanceOf(CaravanException.class)
                .hasMessageContaining("master key differs").hasMessageNotContaining("hunter2");
        String altered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> new SecretCipher(KEY).decrypt(altered)).hasMessageContaining("altered");
        assertThatThrownBy(() -> new SecretCipher(new byte[16])).hasMessageContaining("32 bytes");
    }

    @Test
    void theKeyComesFromTheEnvironmentOrAPrivateFileCreatedOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/master.key");
        byte[] created = MasterKey.load(null, file);
        assertThat(created).hasSize(32);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(MasterKey.load("", file)).as("read back, not regenerated").isEqualTo(created);
        byte[] fromEnv = new byte[32];
        fromEnv[5] = 7;
        assertThat(MasterKey.load(Base64.getEncoder().encodeToString(fromEnv), file)).isEqualTo(fromEnv);
        assertThatThrownBy(() -> MasterKey.load("not base64!", file)).hasMessageContaining("not base64");
    }
}
