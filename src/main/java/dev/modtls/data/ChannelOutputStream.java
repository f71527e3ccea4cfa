package dev.modtls.data;

import java.io.IOException;
import java.io.OutputStream;

import org.apache.mina.core.buffer.IoBuffer;

/**
 * A blocking OutputStream over a {@link DataChannel}: bytes are gathered into chunks of {@link #CHUNK} bytes, each
 * chunk is one MINA write, and the writer waits while too much is unsent. {@link #close()} returns once every byte
 * was handed to the socket; closing the connection itself (with close_notify under TLS) is the factory's job.
 */
final class ChannelOutputStream extends OutputStream {

    static final int CHUNK = 128 * 1024;

    private final DataChannel channel;
    private IoBuffer pending;
    private boolean closed;

    ChannelOutputStream(DataChannel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (len > 0) {
            if (pending == null) {
                pending = IoBuffer.allocate(CHUNK);
            }
            int n = Math.min(len, pending.remaining());
            pending.put(b, off, n);
            off += n;
            len -= n;
            if (!pending.hasRemaining()) {
                send();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        if (pending != null && pending.position() > 0) {
            send();
        }
    }

    private void send() throws IOException {
        IoBuffer chunk = pending;
        pending = null;
        chunk.flip();
        channel.write(chunk);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        channel.drain();
    }
}
