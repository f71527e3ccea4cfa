package dev.modtls.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * One TLS connection: an {@link SSLEngine} driven over a blocking {@link Socket}, with large buffers so that one
 * socket read or write carries many TLS records.
 *
 * <p>Why SSLEngine and not a layered {@code SSLSocket}: the JDK's client session cache is keyed by the peer's host and
 * port, and a layered SSLSocket takes the port from the socket it wraps (the data port), so a data connection would
 * never offer the control connection's session. An engine created with {@code createSSLEngine(controlHost,
 * controlPort)} looks up, and so resumes, the control session; FTPS servers that require session reuse (mod_tls, ours)
 * need exactly that. A plain {@link Socket} rather than a {@code SocketChannel} because its reads honour
 * {@code SO_TIMEOUT}, so a server that never answers cannot hang the benchmark.
 */
final class TlsChannel implements ByteChannelLike {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int NET_BUFFER = 512 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SSLEngine engine;
    /** Received ciphertext, always in read mode. */
    private final ByteBuffer netIn;
    /** Ciphertext to send, in write mode between calls. */
    private final ByteBuffer netOut;
    /** Decrypted bytes that did not fit the caller's buffer, in read mode. */
    private final ByteBuffer appIn;
    private boolean inboundDone;

    TlsChannel(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(Math.max(NET_BUFFER, packet));
        this.netIn.flip();
        this.netOut = ByteBuffer.allocate(Math.max(NET_BUFFER, 2 * packet));
        this.appIn = ByteBuffer.allocate(Math.max(64 * 1024, engine.getSession().getApplicationBufferSize()));
        this.appIn.flip();
    }

    SSLEngine engine() {
        return engine;
    }

    SSLSession session() {
        return engine.getSession();
    }

    Socket socket() {
        return socket;
    }

    /** Runs the handshake to its end. */
    void handshake() throws IOException {
        engine.beginHandshake();
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_WRAP:
                    wrapOnce(EMPTY);
                    flush();
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    if (unwrapOnce(appIn, true) < 0) {
                        throw new EOFException("connection closed during the TLS handshake");
                    }
                    break;
                case NEED_TASK:
                    runTasks();
                    break;
                default:
                    flush();
                    return;
            }
        }
    }

    /** Reads decrypted bytes into {@code dst}; -1 at close_notify or end of stream. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (appIn.hasRemaining()) {
            return transfer(appIn, dst);
        }
        while (true) {
            if (inboundDone) {
                return -1;
            }
            boolean direct = dst.remaining() >= engine.getSession().getApplicationBufferSize();
            ByteBuffer target = direct ? dst : appIn;
            int n = unwrapOnce(target, false);
            if (n < 0) {
                return -1;
            }
            if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
                    && engine.getHandshakeStatus() != HandshakeStatus.FINISHED) {
                serviceHandshake();
            }
            if (n > 0) {
                if (direct) {
                    // drain further whole records already received without another socket read
                    int more;
                    while (netIn.remaining() > 0 && dst.remaining() >= engine.getSession().getApplicationBufferSize()
                            && (more = unwrapBuffered(dst)) > 0) {
                        n += more;
                    }
                    return n;
                }
                return transfer(appIn, dst);
            }
        }
    }

    /** Encrypts and sends all of {@code src}. */
    @Override
    public void write(ByteBuffer src) throws IOException {
        int packet = engine.getSession().getPacketBufferSize();
        while (src.hasRemaining()) {
            if (netOut.remaining() < packet) {
                flush();
            }
            wrapOnce(src);
        }
        flush();
    }

    /** Sends close_notify and closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                wrapOnce(EMPTY);
            }
            flush();
        } catch (IOException e) {
            // the peer may already be gone; closing the socket is all that is left
        } finally {
            socket.close();
        }
    }

    /**
     * Ends an upload: close_notify, then half-close and read what the server still sends until it closes. Closing at
     * once would reset the connection if anything the server sent lay unread (the server would see a broken upload),
     * and reading through the engine stores the TLS 1.3 session ticket the server may have sent on this connection,
     * which the next data connection offers (the JDK client does not offer a TLS 1.3 ticket twice).
     */
    void finishUpload() throws IOException {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                wrapOnce(EMPTY);
            }
            flush();
            socket.shutdownOutput();
            appIn.clear();
            appIn.flip();
            while (!inboundDone && unwrapOnce(appIn, false) >= 0) {
                appIn.clear();
                appIn.flip();
            }
        } finally {
            socket.close();
        }
    }

    private void serviceHandshake() throws IOException {
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                wrapOnce(EMPTY);
                flush();
            } else {
                return;
            }
        }
    }

    private void wrapOnce(ByteBuffer src) throws IOException {
        SSLEngineResult r = engine.wrap(src, netOut);
        switch (r.getStatus()) {
            case OK:
            case CLOSED:
                break;
            case BUFFER_OVERFLOW:
                flush();
                r = engine.wrap(src, netOut);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    throw new SSLException("TLS record larger than the output buffer");
                }
                break;
            default:
                throw new SSLException("unexpected wrap status " + r.getStatus());
        }
        if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
    }

    /**
     * Unwraps one record into {@code dst}, reading from the socket as needed; returns the bytes produced (0 for a
     * handshake or post-handshake message) or -1 at end of stream.
     */
    private int unwrapOnce(ByteBuffer dst, boolean handshaking) throws IOException {
        while (true) {
            if (!netIn.hasRemaining() && !fill()) {
                return -1;
            }
            if (dst == appIn) {
                appIn.compact();
            }
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, dst);
            } finally {
                if (dst == appIn) {
                    appIn.flip();
                }
            }
            switch (r.getStatus()) {
                case OK:
                    if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    return r.bytesProduced();
                case BUFFER_UNDERFLOW:
                    if (!fill()) {
                        return -1;
                    }
                    break;
                case CLOSED:
                    inboundDone = true;
                    if (handshaking) {
                        throw new EOFException("peer closed TLS during the handshake");
                    }
                    return -1;
                default:
                    throw new SSLException("unexpected unwrap status " + r.getStatus());
            }
        }
    }

    /** Unwraps one record already in {@code netIn} (no socket read); 0 when none is complete. */
    private int unwrapBuffered(ByteBuffer dst) throws IOException {
        SSLEngineResult r = engine.unwrap(netIn, dst);
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            inboundDone = true;
            return 0;
        }
        if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        return r.getStatus() == SSLEngineResult.Status.OK ? r.bytesProduced() : 0;
    }

    /** Reads more ciphertext; false at end of stream. */
    private boolean fill() throws IOException {
        netIn.compact();
        try {
            if (!netIn.hasRemaining()) {
                throw new SSLException("TLS record larger than the input buffer");
            }
            int n = in.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
            if (n < 0) {
                return false;
            }
            netIn.position(netIn.position() + n);
            return true;
        } finally {
            netIn.flip();
        }
    }

    private void flush() throws IOException {
        netOut.flip();
        if (netOut.hasRemaining()) {
            out.write(netOut.array(), netOut.arrayOffset() + netOut.position(), netOut.remaining());
        }
        netOut.clear();
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static int transfer(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        ByteBuffer slice = from.slice();
        slice.limit(n);
        to.put(slice);
        from.position(from.position() + n);
        return n;
    }
}
