package dev.modtls.transport;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import org.apache.mina.core.session.IoSession;

/**
 * What {@link TlsFilter} tells its owner about one connection's TLS life. Callbacks run on whichever thread moved the
 * connection forward (a MINA I/O processor, the shared timer, a thread that wrote, or the filter's task pool after a
 * delegated task), never while the filter's per-connection lock is held, so an implementation may write (for
 * instance {@link TlsFilter#writeClear}) or close the session. Implementations must be thread-safe. Every method has
 * an empty default.
 */
public interface TlsListener {

    /** A listener that ignores everything. */
    TlsListener NONE = new TlsListener() {
    };

    /**
     * The filter made the SSLEngine of this connection, before any byte went through it. Lets the owner map the engine
     * to its connection, for instance to route what a trust manager (which sees only the engine) logs about this
     * connection's client certificate.
     */
    default void engineCreated(IoSession session, SSLEngine engine) {
    }

    /**
     * A handshake finished. For {@link HandshakeKind#INITIAL} this comes before {@code SslEvent.SECURED} reaches the
     * next filter and before any application data is passed up.
     *
     * @param peerInitiated true when the peer started it (a client-initiated TLS 1.2 renegotiation, or a KeyUpdate the
     *        client sent on its own); false for the initial handshake and for {@link TlsFilter#renegotiate} requests
     */
    default void handshakeCompleted(IoSession session, SSLSession sslSession, HandshakeKind kind,
            boolean peerInitiated) {
    }

    /**
     * Whether {@link #handshakeCompleted} for the initial handshake may block (a reverse-DNS lookup, say). When true,
     * the filter calls it on its small task pool instead of the thread that finished the handshake (which may be a
     * MINA I/O processor shared by many sessions), and holds back everything received until it has returned: it still
     * comes before {@code SslEvent.SECURED} and before any application data. Asked once per connection, when the
     * filter creates the connection's TLS state. The default is false (called inline, the cheaper path).
     */
    default boolean initialHandshakeCompletionBlocks(IoSession session) {
        return false;
    }

    /**
     * The initial handshake failed or timed out. The engine's alert (if any) has been sent; nothing received later
     * is passed up. The owner typically answers with {@code writeClear(session, "421 TLS handshake failed")} and closes.
     *
     * @param timedOut true when the handshake timeout expired (the cause then says
     *        "TLS negotiation timed out (N seconds)")
     */
    default void handshakeFailed(IoSession session, SSLException cause, boolean timedOut) {
    }

    /**
     * The TLS layer failed after the initial handshake (bad record, refused renegotiation). The filter has already
     * sent its alert and closes the session itself.
     */
    default void tlsFailed(IoSession session, SSLException cause) {
    }

    /**
     * A {@link TlsFilter#stopTls} finished: the peer's close_notify arrived, or the peer went on in clear text without
     * one. Comes before the first clear-text bytes are passed up.
     */
    default void tlsStopped(IoSession session, boolean closeNotifyReceived) {
    }

    /**
     * The peer ended its side of the TLS connection: with a close_notify ({@code closeNotifyReceived} true; reported
     * when the alert arrives), or by closing or resetting TCP without one (false; reported before the
     * {@code inputClosed} or {@code sessionClosed} event travels on). A false here on an upload means truncated data.
     * Reported at most once per connection, and only after the initial handshake.
     */
    default void peerClosed(IoSession session, boolean closeNotifyReceived) {
    }
}
