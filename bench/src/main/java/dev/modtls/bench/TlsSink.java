package dev.modtls.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The smallest TLS peer the client can be measured against: it does nothing but TLS and memory copies, so the rate
 * the client reaches against it is the client's own ceiling on this machine. After the handshake the client sends
 * one 9-byte request: {@code 'R'} and a length (the sink sends that many bytes, then close_notify) or {@code 'S'} and
 * a length (the sink reads that many bytes, then answers one byte).
 *
 * <p>Run in its own JVM: {@code TlsSink <pkcs12> <password>}; it prints {@code READY <port>} on stdout.
 */
public final class TlsSink {

    static final byte SEND_TO_CLIENT = 'R';
    static final byte RECEIVE_FROM_CLIENT = 'S';

    private TlsSink() {
    }

    public static void main(String[] args) throws Exception {
        SSLContext ctx = ServerTls.fromPkcs12(Path.of(args[0]), args[1].toCharArray());
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("READY " + server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(ctx, s), "sink-" + s.getPort());
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void serve(SSLContext ctx, Socket s) {
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(60_000);
            SSLEngine engine = ctx.createSSLEngine();
            engine.setUseClientMode(false);
            try (TlsChannel tls = new TlsChannel(s, engine)) {
                tls.handshake();
                ByteBuffer request = ByteBuffer.allocate(9);
                while (request.hasRemaining()) {
                    if (tls.read(request) < 0) {
                        return;
                    }
                }
                request.flip();
                byte op = request.get();
                long size = request.getLong();
                ByteBuffer buffer = ByteBuffer.allocate(1024 * 1024);
                if (op == SEND_TO_CLIENT) {
                    ThreadLocalRandom.current().nextBytes(buffer.array());
                    long left = size;
                    while (left > 0) {
                        buffer.clear();
                        buffer.limit((int) Math.min(buffer.capacity(), left));
                        left -= buffer.remaining();
                        tls.write(buffer);
                    }
                } else {
                    long got = 0;
                    while (got < size) {
                        buffer.clear();
                        int n = tls.read(buffer);
                        if (n < 0) {
                            break;
                        }
                        got += n;
                    }
                    tls.write(ByteBuffer.wrap(new byte[] {got == size ? (byte) 1 : (byte) 0}));
                }
            }
        } catch (SocketTimeoutException e) {
            System.err.println("sink: client went silent");
        } catch (IOException e) {
            System.err.println("sink: " + e);
        }
    }
}
