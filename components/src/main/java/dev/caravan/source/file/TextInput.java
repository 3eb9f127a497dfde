package dev.caravan.source.file;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of a file: decoded with its charset, a UTF-8 byte order mark dropped, and every byte sequence that is not
 * valid in the charset replaced by {@link #INVALID} (U+FFFF, a noncharacter no valid text holds), so a parser can tell
 * a value that held invalid bytes.
 */
final class TextInput {
    static final char INVALID = '\uFFFF';

    private TextInput() {
    }

    static Reader reader(InputStream in, Charset charset) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, Compression.BUFFER);
        if (charset.equals(StandardCharsets.UTF_8)) {
            buffered.mark(3);
            byte[] bom = buffered.readNBytes(3);
            if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
                buffered.reset();
            }
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(INVALID));
        return new InputStreamReader(buffered, decoder);
    }

    static boolean invalid(String text) {
        return text.indexOf(INVALID) >= 0;
    }
}
