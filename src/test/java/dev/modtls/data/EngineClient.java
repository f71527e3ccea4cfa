package dev.modtls.data;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSession;

/**
 * A blocking TLS client for a test data connection, on an SSLEngine over a plain socket. Why not an SSLSocket: the
 * JDK client looks its session cache up by the socket's real peer port, so a data connection (another port) never
 * offers the control session; an SSLEngine takes the peer host and port as given, so the data connection can name
 * the control connection's, which is what session-reusing FTPS clients achieve.
 */
final class EngineClient implements AutoCloseable {

    private final Socket socket;
    private final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private boolean peerClosed;

    EngineClient(SSLContext context, Socket socket, String cacheHost, int cachePort) throws IOException {
        this.socket = socket;
        this.engine = context.createSSLEngine(cacheHost, cachePort);
        engine.setUseClientMode(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        SSLSession s = engine.getSession();
        netIn = ByteBuffer.allocate(s.getPacketBufferSize());
        netIn.flip();
        appIn = ByteBuffer.allocate(s.getApplicationBufferSize());
    }

    void handshake() throws IOException {
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP:
                    wrap(ByteBuffer.allocate(0));
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    unwrapOnce();
                    break;
                case NEED_TASK:
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    break;
                default:
                    return;
            }
        }
    }

    SSLSession session() {
        return engine.getSession();
    }

    byte[] readAll() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (!peerClosed) {
            unwrapOnce();
            appIn.flip();
            all.write(appIn.array(), appIn.position(), appIn.remaining());
            appIn.clear();
        }
        return all.toByteArray();
    }

    /** Whether the server's close_notify arrived (rather than a bare TCP end). */
    boolean peerSentCloseNotify() {
        return peerClosed && engine.isInboundDone();
    }

    void write(byte[] data) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            wrap(src);
        }
    }

    /**
     * Sends close_notify, half-closes TCP, then reads what the server still sends (a TLS 1.3 server may have sent a
     * session ticket nobody read; closing with unread bytes would reset the connection) up to its end, then closes.
     */
    @Override
    public void close() throws IOException {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                wrap(ByteBuffer.allocate(0));
            }
            socket.shutdownOutput();
            while (!peerClosed) {
                unwrapOnce();
                appIn.clear();
            }
        } catch (IOException ignored) {
            // the peer may be gone already
        } finally {
            socket.close();
        }
    }

    /** Closes TCP without close_notify (a truncated stream). */
    void abortWithoutCloseNotify() throws IOException {
        socket.close();
    }

    private void wrap(ByteBuffer src) throws IOException {
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(src, net);
        net.flip();
        out.write(net.array(), 0, net.limit());
        out.flush();
        if (result.getStatus() == SSLEngineResult.Status.CLOSED && src.hasRemaining()) {
            throw new IOException("engine closed");
        }
    }

    private void unwrapOnce() throws IOException {
        while (true) {
            if (netIn.hasRemaining()) {
                SSLEngineResult result = engine.unwrap(netIn, appIn);
                switch (result.getStatus()) {
                    case OK:
                        if (result.bytesConsumed() > 0 || result.bytesProduced() > 0) {
                            return;
                        }
                        break;
                    case CLOSED:
                        peerClosed = true;
                        return;
                    case BUFFER_OVERFLOW:
                        ByteBuffer bigger = ByteBuffer.allocate(appIn.capacity() * 2);
                        appIn.flip();
                        bigger.put(appIn);
                        appIn = bigger;
                        continue;
                    case BUFFER_UNDERFLOW:
                    default:
                        break;
                }
            }
            netIn.compact();
            if (!netIn.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() * 2);
                netIn.flip();
                bigger.put(netIn);
                netIn = bigger;
            }
            int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
            if (n == -1) {
                netIn.flip();
                peerClosed = true;
                if (engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                    throw new EOFException("server closed during the handshake");
                }
                return;
            }
            netIn.position(netIn.position() + n);
            netIn.flip();
        }
    }
}
