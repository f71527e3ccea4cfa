package dev.modtls.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

/** A control connection before AUTH TLS: the socket's streams, unencrypted. */
final class PlainChannel implements ByteChannelLike {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    PlainChannel(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        out.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
        src.position(src.limit());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
