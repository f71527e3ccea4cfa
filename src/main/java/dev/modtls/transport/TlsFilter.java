package dev.modtls.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * Our TLS layer for MINA sessions: the FTP control connection and the data connections, server or client side.
 * <p>
 * Why not MINA 2.2's own {@link SslFilter}: it cannot clear a TLS channel while keeping TCP (CCC: removing it throws
 * NPEs and loses the client's following clear text), its server-initiated renegotiation sends a malformed record, a
 * {@code closeNow()} sends no close_notify, it cannot send one message in clear after it was added (the 234 reply),
 * and it does not say whether a peer closed with or without close_notify. So this class drives its own
 * {@link SSLEngine} per session ({@link TlsConnection}).
 * <p>
 * It still extends {@code SslFilter}, only so that {@code IoFilterChain.contains(SslFilter.class)} finds it: FtpServer
 * decides "is this session secure", reads client certificates ({@link SslFilter#SSL_SECURED}) and refuses a second
 * AUTH that way. Every {@link IoFilter} method is overridden, so none of SslFilter's machinery ever runs, and its
 * configuration setters throw: all settings come from {@link TlsEngineSettings}.
 * <p>
 * One instance may serve many sessions (per-session state lives in a session attribute), e.g. on an acceptor's chain
 * for implicit TLS; after AUTH it is usually added per session with {@code chain.addFirst("modtls-tls", filter)}.
 * Behaviour in short:
 * <ul>
 * <li>{@link #writeClear} sends exactly that message unencrypted; every other write after the filter was added is
 * encrypted, writes issued during the handshake wait (in order, none dropped) and go out right after it.</li>
 * <li>Server mode waits for the ClientHello; client mode starts when the session is connected. On success
 * {@code SSL_SECURED} holds the current {@link SSLSession} and {@code SslEvent.SECURED} goes to the next filter; on
 * failure the engine's alert is sent, {@link TlsListener#handshakeFailed} is called, and nothing received afterwards
 * reaches the filters above.</li>
 * <li>A close from our side sends close_notify before the TCP close (bounded by the close timeout); a peer close is
 * reported with or without close_notify.</li>
 * <li>{@link #stopTls} (CCC), {@link #renegotiate} (HelloRequest or KeyUpdate) and {@link #flushHandshake}.</li>
 * </ul>
 */
public class TlsFilter extends SslFilter {

    /** The handshake failure's message when the peer sent close_notify during the handshake. */
    public static final String PEER_CLOSED_DURING_HANDSHAKE = "peer closed TLS during the handshake";


    private static final AttributeKey CONNECTION = new AttributeKey(TlsFilter.class, "connection");

    private final SSLContext context;
    private final TlsEngineSettings settings;
    private final TlsListener listener;

    public TlsFilter(SSLContext context, TlsEngineSettings settings, TlsListener listener) {
        super(Objects.requireNonNull(context, "context"), false);
        this.context = context;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = listener != null ? listener : TlsListener.NONE;
    }

    public TlsEngineSettings getSettings() {
        return settings;
    }

    public TlsListener getListener() {
        return listener;
    }

    // ------------------------------------------------------------------ public API

    /** The TlsFilter in the session's chain, or null. */
    public static TlsFilter of(IoSession session) {
        IoFilter f = session.getFilterChain().get(SslFilter.class);
        return f instanceof TlsFilter ? (TlsFilter) f : null;
    }

    /**
     * Writes {@code message} through the whole chain (codec included) but lets exactly this object (compared by
     * identity with {@link WriteRequest#getOriginalMessage()}) pass this filter unencrypted: the 234 reply to AUTH, or
     * the 421 after a failed handshake. Without TLS state on the session this is a plain {@code session.write}.
     */
    public WriteFuture writeClear(IoSession session, Object message) {
        TlsConnection c = connection(session);
        if (c != null) {
            c.markClear(message);
        }
        return session.write(message);
    }

    /**
     * CCC: once the writes issued before this call are encrypted and queued, sends close_notify; from then on writes
     * go out in clear. Inbound, the peer's close_notify is consumed if it comes; if clear text comes instead (the
     * first byte is not a TLS record type), that is taken as the end of TLS. Everything after goes up unchanged, and
     * {@link TlsListener#tlsStopped} is called first. Never blocks. Does nothing when TLS is not active.
     */
    public void stopTls(IoSession session) {
        TlsConnection c = connection(session);
        if (c != null) {
            c.stopTls();
        }
    }

    /**
     * Asks for a new handshake: a HelloRequest on TLS 1.2 and older, a KeyUpdate (update_requested) on TLS 1.3. The
     * result comes as {@link TlsListener#handshakeCompleted} with {@code peerInitiated == false}.
     *
     * @return false when the session has no established TLS connection
     */
    public boolean renegotiate(IoSession session) {
        TlsConnection c = connection(session);
        return c != null && c.renegotiate();
    }

    /**
     * Sends post-handshake messages the engine has pending now rather than with the next write. Note that SunJSSE
     * produces the NewSessionTicket that {@code SSLSession.putValue} asks for only while wrapping application data,
     * so in practice that ticket goes out with the next write (which this filter always flushes completely).
     */
    public void flushHandshake(IoSession session) {
        TlsConnection c = connection(session);
        if (c != null) {
            c.flushHandshake();
        }
    }

    /** Whether the peer's close_notify arrived on this session (false also when there is no TLS state). */
    public boolean isCloseNotifyReceived(IoSession session) {
        TlsConnection c = connection(session);
        return c != null && c.isCloseNotifyReceived();
    }

    /** The current SSLSession while TLS is established (it changes after a renegotiation), else null. */
    public SSLSession getSslSession(IoSession session) {
        TlsConnection c = connection(session);
        return c != null ? c.sslSession() : null;
    }

    /** Whether the initial handshake finished and TLS has not been stopped, failed or closed since. */
    public boolean isEstablished(IoSession session) {
        return getSslSession(session) != null;
    }

    /**
     * Removes this filter from the session's chain if it is there. If TLS is still established, close_notify is
     * sent first; call it after {@link TlsListener#tlsStopped} to leave the chain cleanly after CCC (a removal while
     * the peer's close_notify is still on its way would pass that record up as data).
     */
    public void removeFromChain(IoSession session) {
        IoFilterChain chain = session.getFilterChain();
        if (chain.contains(this)) {
            chain.remove(this);
        }
    }

    // ------------------------------------------------------------------ IoFilter

    @Override
    public void init() {
        // nothing: the filter holds no resources of its own
    }

    @Override
    public void destroy() {
        // nothing: per-session state goes with the session
    }

    @Override
    public void onPreAdd(IoFilterChain parent, String name, NextFilter next) {
        if (parent.contains(SslFilter.class)) {
            throw new IllegalStateException("Only one SSL filter is permitted in a chain");
        }
    }

    @Override
    public void onPostAdd(IoFilterChain parent, String name, NextFilter next) {
        IoSession session = parent.getSession();
        SSLEngine engine = newEngine(session);
        listener.engineCreated(session, engine);
        TlsConnection c = new TlsConnection(session, engine, settings, listener);
        session.setAttribute(CONNECTION, c);
        c.attach(next);
    }

    @Override
    public void onPreRemove(IoFilterChain parent, String name, NextFilter next) {
        TlsConnection c = connection(parent.getSession());
        if (c != null) {
            c.detach();
        }
    }

    @Override
    public void onPostRemove(IoFilterChain parent, String name, NextFilter next) {
        parent.getSession().removeAttribute(CONNECTION);
    }

    @Override
    public void sessionCreated(NextFilter next, IoSession session) {
        next.sessionCreated(session);
    }

    @Override
    public void sessionOpened(NextFilter next, IoSession session) {
        TlsConnection c = connection(session);
        if (c != null) {
            c.opened(next);
        }
        next.sessionOpened(session);
    }

    @Override
    public void sessionClosed(NextFilter next, IoSession session) {
        TlsConnection c = connection(session);
        if (c != null) {
            c.closed();
        }
        next.sessionClosed(session);
    }

    @Override
    public void sessionIdle(NextFilter next, IoSession session, IdleStatus status) {
        next.sessionIdle(session, status);
    }

    @Override
    public void exceptionCaught(NextFilter next, IoSession session, Throwable cause) {
        next.exceptionCaught(session, cause);
    }

    @Override
    public void inputClosed(NextFilter next, IoSession session) {
        TlsConnection c = connection(session);
        if (c == null || !c.inputClosed(next)) {
            next.inputClosed(session);
        }
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) {
        TlsConnection c = connection(session);
        if (c == null || !(message instanceof IoBuffer)) {
            next.messageReceived(session, message);
        } else {
            c.receive((IoBuffer) message);
        }
    }

    @Override
    public void messageSent(NextFilter next, IoSession session, WriteRequest request) {
        // Ciphertext pieces never come here (they are "encoded"); what does is a clear write or a plaintext request
        // whose last piece was written.
        next.messageSent(session, request);
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest request) {
        TlsConnection c = connection(session);
        if (c == null) {
            next.filterWrite(session, request);
        } else {
            c.write(request);
        }
    }

    @Override
    public void filterClose(NextFilter next, IoSession session) {
        TlsConnection c = connection(session);
        if (c == null) {
            next.filterClose(session);
        } else {
            c.close(next);
        }
    }

    @Override
    public void event(NextFilter next, IoSession session, FilterEvent event) {
        next.event(session, event);
    }

    // ------------------------------------------------------------------ SslFilter's own machinery, disabled

    @Override
    protected void onConnected(NextFilter next, IoSession session) {
        throw new UnsupportedOperationException("TlsFilter does not use SslFilter's handler");
    }

    @Override
    protected void onClose(NextFilter next, IoSession session, boolean linger) {
        throw new UnsupportedOperationException("TlsFilter does not use SslFilter's handler");
    }

    @Override
    protected SSLEngine createEngine(IoSession session, InetSocketAddress addr) {
        return newEngine(session);
    }

    @Override
    public void setNeedClientAuth(boolean needClientAuth) {
        throw unsupported();
    }

    @Override
    public void setWantClientAuth(boolean wantClientAuth) {
        throw unsupported();
    }

    @Override
    public void setEnabledCipherSuites(String... cipherSuites) {
        throw unsupported();
    }

    @Override
    public void setEnabledProtocols(String... protocols) {
        throw unsupported();
    }

    @Override
    public void setEndpointIdentificationAlgorithm(String algorithm) {
        throw unsupported();
    }

    @Override
    public void setUseNonBlockingPipeline(boolean enable) {
        throw unsupported();
    }

    @Override
    public boolean isNeedClientAuth() {
        return settings.clientAuth() == TlsEngineSettings.ClientAuth.NEED;
    }

    @Override
    public boolean isWantClientAuth() {
        return settings.clientAuth() == TlsEngineSettings.ClientAuth.WANT;
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return settings.cipherSuites() == null ? null : settings.cipherSuites().toArray(new String[0]);
    }

    @Override
    public String[] getEnabledProtocols() {
        return settings.protocols() == null ? null : settings.protocols().toArray(new String[0]);
    }

    @Override
    public String getEndpointIdentificationAlgorithm() {
        return settings.endpointIdentification();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("configure TlsFilter through TlsEngineSettings");
    }

    // ------------------------------------------------------------------ helpers

    private SSLEngine newEngine(IoSession session) {
        String host = null;
        int port = -1;
        SocketAddress remote = session.getRemoteAddress();
        if (remote instanceof InetSocketAddress) {
            InetSocketAddress r = (InetSocketAddress) remote;
            host = r.getHostString(); // never a reverse DNS lookup
            port = r.getPort();
        }
        return settings.createEngine(context, host, port);
    }

    private static TlsConnection connection(IoSession session) {
        return (TlsConnection) session.getAttribute(CONNECTION);
    }

    /** For tests in this package: the connection state. */
    static TlsConnection.State stateOf(IoSession session) {
        TlsConnection c = connection(session);
        return c != null ? c.state() : null;
    }
}
