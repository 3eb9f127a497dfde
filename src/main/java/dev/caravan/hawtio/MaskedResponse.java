package dev.caravan.hawtio;

import dev.caravan.security.SecretRegistry;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Buffers a Jolokia answer so that the server's secrets ({@link SecretRegistry}) can be masked before it is sent: an MBean attribute
 * may hold one (e.g. the JVM's system properties when a password was passed with {@code -D}).
 */
final class MaskedResponse extends HttpServletResponseWrapper {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final SecretRegistry secrets;
    private ServletOutputStream stream;
    private PrintWriter writer;

    MaskedResponse(HttpServletResponse response, SecretRegistry secrets) {
        super(response);
        this.secrets = secrets;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (stream == null) {
            stream = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("a masked response is written blocking");
                }

                @Override
                public void write(int b) {
                    buffer.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    buffer.write(b, off, len);
                }
            };
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(buffer, charset()), false);
        }
        return writer;
    }

    @Override
    public void setContentLength(int length) {
        // set on send, after masking
    }

    @Override
    public void setContentLengthLong(long length) {
        // set on send, after masking
    }

    @Override
    public void flushBuffer() {
        if (writer != null) {
            writer.flush();
        }
    }

    /** Writes the buffered answer, masked, to the real response. */
    void send() throws IOException {
        flushBuffer();
        if (buffer.size() == 0) {
            return;
        }
        Charset charset = charset();
        byte[] masked = secrets.mask(buffer.toString(charset)).getBytes(charset);
        HttpServletResponse response = (HttpServletResponse) getResponse();
        response.setContentLength(masked.length);
        response.getOutputStream().write(masked);
    }

    private Charset charset() {
        String name = getCharacterEncoding();
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
