package dev.modtls.data;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * One data connection's state between MINA's I/O threads and the FtpServer command thread that runs the transfer:
 * a bounded inbound queue (reads are suspended above a high-water mark and resumed below a low one), a bound on the
 * bytes written but not yet sent (the writer waits above it), the end of the stream, and the TLS outcome.
 *
 * <p>MINA's own blocking stream adapters ({@code IoSessionInputStream}/{@code IoSessionOutputStream}) are
 * package-private, buffer without limit and close without a TLS close, hence this class. Locking rule: nothing that
 * goes down a filter chain ({@code write}, {@code close*}) is called while this object's monitor is held, because
 * the TLS filter calls back into it from I/O threads while holding its own lock.
 */
final class DataChannel {

    static final AttributeKey KEY = new AttributeKey(DataChannel.class, "channel");

    /** Inbound bytes queued above which reading from the socket is suspended. */
    static final int INBOUND_HIGH = 1024 * 1024;
    /** Inbound bytes queued below which reading resumes. */
    static final int INBOUND_LOW = 256 * 1024;
    /** Written-but-unsent bytes above which the writer waits. */
    static final int OUTBOUND_HIGH = 1024 * 1024;
    /** Written-but-unsent bytes below which a waiting writer continues. */
    static final int OUTBOUND_LOW = 256 * 1024;

    /** TLS outcome of a protected data connection. */
    enum TlsState { NOT_USED, PENDING, SECURED, REFUSED, FAILED }

    private final IoSession session;
    private final long idleMillis;

    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private int headOffset;
    private long inboundQueued;
    private long inboundPeak;
    private boolean readGateOpen;
    private boolean readSuspendedByUs;

    private long outboundPending;
    private long outboundPeak;
    private long lastOutboundProgress = System.currentTimeMillis();

    private boolean closed;
    /** The peer's close_notify arrived: its data stream is complete (TLS 1.3 peers may wait for ours first). */
    private boolean inputEnded;
    private boolean cleanTlsEnd;
    private IOException failure;

    private TlsState tlsState = TlsState.NOT_USED;
    private String tlsFailureDetail;
    private boolean tlsTimedOut;

    DataChannel(IoSession session, long idleMillis) {
        this.session = session;
        this.idleMillis = idleMillis;
    }

    static DataChannel of(IoSession session) {
        return (DataChannel) session.getAttribute(KEY);
    }

    IoSession session() {
        return session;
    }

    // ---- I/O-thread side -------------------------------------------------------------------------------------

    void onMessage(IoBuffer buffer) {
        int n = buffer.remaining();
        if (n == 0) {
            return;
        }
        byte[] copy = new byte[n];
        buffer.get(copy);
        synchronized (this) {
            if (closed && failure != null) {
                return;
            }
            inbound.addLast(copy);
            inboundQueued += n;
            inboundPeak = Math.max(inboundPeak, inboundQueued);
            if (inboundQueued >= INBOUND_HIGH && !readSuspendedByUs) {
                readSuspendedByUs = true;
                session.suspendRead();
            }
            notifyAll();
        }
    }

    synchronized void onClosed() {
        closed = true;
        if (tlsState == TlsState.PENDING) {
            tlsState = TlsState.FAILED;
        }
        if (tlsState == TlsState.SECURED && !cleanTlsEnd && failure == null) {
            failure = new SocketException("TLS data stream ended without close_notify");
        }
        notifyAll();
    }

    synchronized void onException(Throwable cause) {
        // After the peer's close_notify the stream ended cleanly; a reset while answering it changes nothing.
        if (failure == null && !cleanTlsEnd) {
            failure = cause instanceof IOException ? (IOException) cause : new SocketException(String.valueOf(cause));
            if (!(failure instanceof SocketException)) {
                SocketException wrapped = new SocketException("data connection failed: " + cause);
                wrapped.initCause(cause);
                failure = wrapped;
            }
        }
        if (tlsState == TlsState.PENDING) {
            tlsState = TlsState.FAILED;
            tlsFailureDetail = String.valueOf(cause.getMessage());
        }
        notifyAll();
    }

    /** The peer's close_notify arrived: the end of a protected stream is clean. */
    synchronized void onCloseNotify() {
        cleanTlsEnd = true;
        inputEnded = true;
        notifyAll();
    }

    /** The TLS handshake failed or timed out (the TLS filter's report). */
    synchronized void onTlsFailed(String detail, boolean timedOut) {
        if (tlsState == TlsState.PENDING) {
            tlsState = TlsState.FAILED;
            tlsFailureDetail = detail;
            tlsTimedOut = timedOut;
        }
        notifyAll();
    }

    synchronized boolean tlsTimedOut() {
        return tlsTimedOut;
    }

    synchronized void onTlsOutcome(boolean accepted) {
        if (tlsState == TlsState.PENDING) {
            tlsState = accepted ? TlsState.SECURED : TlsState.REFUSED;
        }
        notifyAll();
    }

    private synchronized void onWritten(long bytes) {
        outboundPending -= bytes;
        lastOutboundProgress = System.currentTimeMillis();
        notifyAll();
    }

    // ---- command-thread side ---------------------------------------------------------------------------------

    /** Lets the peer's bytes in (the acceptor suspended reading until the transfer command opened the connection). */
    void openReadGate() {
        synchronized (this) {
            readGateOpen = true;
            if (readSuspendedByUs) {
                return;
            }
            resumeReading();
        }
    }

    /**
     * Resumes reading and wakes the session's I/O processor: MINA 2.2 only changes the selection key's interest set
     * on {@code resumeRead()}, which a selector already blocked in {@code select()} notices at its 1 s timeout at
     * the earliest (measured: uploads crawled at under 1 MB/s). A processor flush of the session (its write queue
     * may well be empty; flushing an empty queue is a no-op) is MINA's public way to wake that selector.
     */
    @SuppressWarnings("unchecked")
    private void resumeReading() {
        session.resumeRead();
        if (session instanceof AbstractIoSession) {
            ((AbstractIoSession) session).getProcessor().flush(session);
        }
    }

    synchronized void expectTls() {
        tlsState = TlsState.PENDING;
    }

    /** Waits until a pending TLS handshake was accepted, refused or failed, or the timeout passed. */
    synchronized TlsState awaitTls(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (tlsState == TlsState.PENDING) {
            long left = deadline - System.currentTimeMillis();
            if (timeoutMillis > 0 && left <= 0) {
                return TlsState.PENDING;
            }
            wait(timeoutMillis > 0 ? left : 0);
        }
        return tlsState;
    }

    /** The TLS state now, without waiting. */
    synchronized TlsState tlsState() {
        return tlsState;
    }

    synchronized String tlsFailureDetail() {
        return tlsFailureDetail;
    }

    /** Blocking read with the data idle time as timeout; -1 at the end of the stream. */
    int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        synchronized (this) {
            long deadline = System.currentTimeMillis() + idleMillis;
            while (inbound.isEmpty()) {
                if (failure != null) {
                    throw rethrowable(failure);
                }
                if (closed || inputEnded) {
                    return -1;
                }
                long left = deadline - System.currentTimeMillis();
                if (idleMillis > 0 && left <= 0) {
                    throw new SocketTimeoutException("data connection idle for " + idleMillis / 1000 + " s");
                }
                waitInterruptibly(idleMillis > 0 ? left : 0);
            }
            int copied = 0;
            while (copied < length && !inbound.isEmpty()) {
                byte[] head = inbound.peekFirst();
                int n = Math.min(length - copied, head.length - headOffset);
                System.arraycopy(head, headOffset, target, offset + copied, n);
                copied += n;
                headOffset += n;
                if (headOffset == head.length) {
                    inbound.removeFirst();
                    headOffset = 0;
                }
            }
            inboundQueued -= copied;
            if (readSuspendedByUs && inboundQueued <= INBOUND_LOW) {
                readSuspendedByUs = false;
                if (readGateOpen) {
                    resumeReading();
                }
            }
            return copied;
        }
    }

    /** Queues one buffer for writing, then waits (bounded by the idle time without progress) for room. */
    void write(IoBuffer buffer) throws IOException {
        long n = buffer.remaining();
        synchronized (this) {
            throwIfUnwritable();
            outboundPending += n;
            outboundPeak = Math.max(outboundPeak, outboundPending);
        }
        WriteFuture future = session.write(buffer);
        future.addListener(f -> {
            onWritten(n);
            if (!((WriteFuture) f).isWritten()) {
                onException(new SocketException("data connection write failed: " + ((WriteFuture) f).getException()));
            }
        });
        synchronized (this) {
            if (outboundPending > OUTBOUND_HIGH) {
                awaitOutbound(OUTBOUND_LOW);
            }
        }
    }

    /** Waits until every written byte was sent. */
    void drain() throws IOException {
        synchronized (this) {
            awaitOutbound(0);
        }
    }

    private void awaitOutbound(long target) throws IOException {
        lastOutboundProgress = System.currentTimeMillis();
        while (outboundPending > target) {
            throwIfUnwritable();
            long left = lastOutboundProgress + idleMillis - System.currentTimeMillis();
            if (idleMillis > 0 && left <= 0) {
                throw new SocketTimeoutException("data connection stalled for " + idleMillis / 1000 + " s");
            }
            waitInterruptibly(idleMillis > 0 ? left : 0);
        }
    }

    private void throwIfUnwritable() throws IOException {
        if (failure != null) {
            throw rethrowable(failure);
        }
        if (closed) {
            throw new SocketException("data connection closed by peer");
        }
    }

    /**
     * A fresh exception per throw: the same failure surfaces more than once (the copy loop, then the stream's close
     * in a try-with-resources, which may not add an exception to itself as suppressed).
     */
    private static IOException rethrowable(IOException failure) {
        IOException fresh = failure instanceof SocketException
            ? new SocketException(failure.getMessage()) : new IOException(failure.getMessage());
        fresh.initCause(failure);
        return fresh;
    }

    private void waitInterruptibly(long millis) throws IOException {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("transfer interrupted");
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** The most inbound bytes ever queued (for tests and diagnostics). */
    synchronized long inboundPeak() {
        return inboundPeak;
    }

    /** The most written-but-unsent bytes ever outstanding (for tests and diagnostics). */
    synchronized long outboundPeak() {
        return outboundPeak;
    }
}
