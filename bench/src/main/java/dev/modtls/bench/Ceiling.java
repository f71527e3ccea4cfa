package dev.modtls.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/** The client's own bulk rate against {@link TlsSink}: the same TLS code and buffers as the FTP transfers. */
final class Ceiling {

    private final int port;
    private final String protocol;

    Ceiling(int port, String protocol) {
        this.port = port;
        this.protocol = protocol;
    }

    /** Receives {@code size} bytes; returns seconds taken. */
    double download(long size, ByteBuffer buffer) throws IOException {
        long start = System.nanoTime();
        try (TlsChannel tls = connect(TlsSink.SEND_TO_CLIENT, size)) {
            long got = 0;
            int n;
            while (true) {
                buffer.clear();
                n = tls.read(buffer);
                if (n < 0) {
                    break;
                }
                got += n;
            }
            if (got != size) {
                throw new IOException("sink sent " + got + " of " + size + " bytes");
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Sends {@code size} bytes from {@code pattern}; returns seconds until the sink confirmed them. */
    double upload(long size, ByteBuffer pattern) throws IOException {
        long start = System.nanoTime();
        try (TlsChannel tls = connect(TlsSink.RECEIVE_FROM_CLIENT, size)) {
            long left = size;
            while (left > 0) {
                ByteBuffer chunk = pattern.duplicate();
                chunk.clear();
                chunk.limit((int) Math.min(chunk.capacity(), left));
                left -= chunk.remaining();
                tls.write(chunk);
            }
            ByteBuffer ack = ByteBuffer.allocate(64 * 1024);
            if (tls.read(ack) != 1 || ack.get(0) != 1) {
                throw new IOException("sink did not confirm the upload");
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private TlsChannel connect(byte op, long size) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(60_000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 60_000);
        SSLContext ctx = ClientTls.newContext();
        SSLEngine engine = ctx.createSSLEngine("127.0.0.1", port);
        engine.setUseClientMode(true);
        if (protocol != null) {
            engine.setEnabledProtocols(new String[] {protocol});
        }
        TlsChannel tls = new TlsChannel(s, engine);
        tls.handshake();
        ByteBuffer request = ByteBuffer.allocate(9);
        request.put(op).putLong(size).flip();
        tls.write(request);
        return tls;
    }
}
