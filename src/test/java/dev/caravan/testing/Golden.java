package dev.caravan.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: the expected output is a committed file. Run with {@code -Dcaravan.golden.update=true} to rewrite the
 * files from the current output, then review the diff.
 */
public final class Golden {
    private Golden() {
    }

    public static void assertMatches(Path golden, String actual) {
        try {
            if (Boolean.getBoolean("caravan.golden.update")) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, actual);
            }
            assertThat(golden).as("golden file %s (regenerate with -Dcaravan.golden.update=true)", golden).exists();
            assertThat(actual).as("output compared with golden file %s (regenerate with -Dcaravan.golden.update=true)", golden)
                    .isEqualTo(Files.readString(golden));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
