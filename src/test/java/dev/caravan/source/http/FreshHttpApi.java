package dev.caravan.source.http;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of tests that need a fresh {@link TestingHttpApi} per test and a temporary folder for their manifests. */
abstract class FreshHttpApi {
    TestingHttpApi api;
    @TempDir
    Path dir;

    @BeforeEach
    void startApi() throws IOException {
        api = new TestingHttpApi();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }
}
