package dev.caravan.source.file;

import java.io.IOException;

/** A listed file that changed or disappeared before it was read: taken (as modified, or not at all) next sync. */
final class FileChangedException extends IOException {
    FileChangedException(String message) {
        super(message);
    }
}
