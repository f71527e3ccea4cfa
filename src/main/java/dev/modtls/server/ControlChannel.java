package dev.modtls.server;

import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.textline.TextLineDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.modtls.config.CipherSuites;
import dev.modtls.data.DataChannelSecurity;
import dev.modtls.data.DataConnections;
import dev.modtls.data.DataTransport;
import dev.modtls.data.SessionReuseGuard;
import dev.modtls.pki.OpenSslText;
import dev.modtls.policy.AuthMechanism;
import dev.modtls.policy.Decision;
import dev.modtls.policy.SessionState;
import dev.modtls.policy.TlsOption;
import dev.modtls.transport.HandshakeKind;
import dev.modtls.transport.TlsFilter;
import dev.modtls.transport.TlsListener;

/**
 * The TLS side of one FTP control connection: the mod_tls session state (held as an immutable {@link SessionState}
 * that only the policy's decisions replace), the TLS filter once AUTH started one, and the TLSLog under this
 * connection's id. Commands and the handler stay thin: they ask the policy and hand the decision to this class.
 * <p>
 * Threads: the TLS filter calls this listener on a MINA I/O processor (shared by many sessions) or on its task pool.
 * The post-handshake name checks of {@code TLSVerifyClient on} may do a reverse-DNS lookup ({@code UseReverseDNS on}),
 * which can block for seconds; for such a connection {@link #initialHandshakeCompletionBlocks} asks the filter to run
 * {@link #handshakeCompleted} for the initial handshake on its task pool. The filter then holds back every decrypted
 * byte until that call returned, exactly as it holds bytes during the engine's own delegated tasks, so no command can
 * reach FtpServer before the checks have passed or rejected the session; the guarantee lives where the bytes are, and
 * nothing here has to queue commands or synchronise with FtpServer's handler. Without reverse DNS the checks are
 * cheap and the call stays on the thread that finished the handshake.
 */
public final class ControlChannel implements TlsListener {

    /** The MINA session attribute holding this object. */
    static final String ATTRIBUTE = ControlChannel.class.getName();

    /** An SSLSession value whose change makes the JDK issue a new TLS 1.3 ticket (see {@link #refreshTicket}). */
    private static final String TICKET_GENERATION_KEY = "dev.modtls.ticket-generation";

    /** The filter's name in the control connection's chain. */
    static final String FILTER_NAME = "modtls-tls";

    private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);

    private final TlsEngine engine;
    private final long id;
    private final AtomicReference<SessionState> state = new AtomicReference<>(SessionState.INITIAL);
    private final AtomicLong ticketGeneration = new AtomicLong();

    private volatile TlsFilter filter;
    private volatile AuthMechanism pendingMechanism;
    private volatile long handshakeStartedAt;
    private volatile SSLSession tlsSession;
    private volatile boolean handshakeEnded;
    private volatile String token;

    private ControlChannel(TlsEngine engine, long id) {
        this.engine = engine;
        this.id = id;
    }

    /** Creates the control channel of a new session and logs what mod_tls logs at session start. */
    static ControlChannel attach(FtpIoSession session, TlsEngine engine, FtpServerContext serverContext,
            DataTransport dataTransport) {
        ControlChannel control = new ControlChannel(engine, session.getId());
        session.setAttribute(ATTRIBUTE, control);
        session.setAttribute(DataChannelSecurity.SESSION_ATTRIBUTE, new ControlDataSecurity(control));
        DataConnections.install(session, serverContext, dataTransport);
        if (engine.settings().engine() && !engine.settings().certificatesConfigured()) {
            control.log("no TLSRSACertificateFile, TLSDSACertificateFile, TLSECCertificateFile, or TLSPKCS12File "
                    + "configured; unable to handle SSL/TLS connections");
        }
        return control;
    }

    /** The control channel of a session that came through our listener. */
    public static ControlChannel of(IoSession session) {
        ControlChannel control = find(session);
        if (control == null) {
            throw new IllegalStateException("session " + session.getId() + " did not come through a "
                    + "ModTlsListener: ftpserver-modtls commands need its listener (<modtls:listener>)");
        }
        return control;
    }

    /** The control channel, or null for a session of another listener. */
    public static ControlChannel find(IoSession session) {
        return (ControlChannel) session.getAttribute(ATTRIBUTE);
    }

    public TlsEngine engine() {
        return engine;
    }

    /** The current mod_tls state of this session. */
    public SessionState state() {
        return state.get();
    }

    /** The control connection's current TLS session, or null while the channel is clear. */
    public SSLSession tlsSession() {
        return tlsSession;
    }

    /** This connection's id in the TLSLog. */
    public long id() {
        return id;
    }

    /** Writes lines to this listener's TLSLog under this connection's id. */
    public void log(List<String> lines) {
        for (String line : lines) {
            engine.log().log(id, line);
        }
    }

    public void log(String line) {
        engine.log().log(id, line);
    }

    /**
     * Asks the policy about the current state and installs the decision's next state atomically: when another
     * thread (the TLS filter completing a handshake) changed the state meanwhile, the pure policy call is simply
     * made again on the new state.
     */
    public Decision decide(Function<SessionState, Decision> policyCall) {
        while (true) {
            SessionState current = state.get();
            Decision decision = policyCall.apply(current);
            if (decision.nextState() == current || state.compareAndSet(current, decision.nextState())) {
                return decision;
            }
        }
    }

    /** Logs a decision's lines and writes its reply, if it has one. */
    public Decision respond(FtpIoSession session, Decision decision) {
        log(decision.logLines());
        if (decision.hasReply()) {
            session.write(new DefaultFtpReply(decision.replyCode(), decision.replyText()));
        }
        return decision;
    }

    /** {@link #decide} then {@link #respond}: what a command does with the policy's answer. */
    public Decision apply(FtpIoSession session, Function<SessionState, Decision> policyCall) {
        return respond(session, decide(policyCall));
    }

    /**
     * The TLSRequired pre-command gate (mod_tls-spec §2.2 A). Writes the refusal and logs it when the command may
     * not run.
     *
     * @return true when the command was refused
     */
    boolean refuseByPolicy(FtpIoSession session, FtpRequest request) {
        Decision gate = decide(s -> engine.policy().preCommand(s, request.getCommand()));
        if (gate.allowed()) {
            return false;
        }
        respond(session, gate);
        return true;
    }

    /**
     * AUTH accepted: adds the TLS filter, sends {@code reply} (the 234) in clear, then the client's ClientHello
     * drives the handshake; {@link #handshakeCompleted} or {@link #handshakeFailed} follow.
     */
    public void startTls(FtpIoSession session, AuthMechanism mechanism, FtpReply reply) {
        TlsFilter tls = new TlsFilter(engine.sslContext(), engine.controlEngineSettings(), this);
        pendingMechanism = mechanism;
        handshakeStartedAt = System.currentTimeMillis();
        filter = tls;
        session.getFilterChain().addFirst(FILTER_NAME, tls);
        forgetClearTextRemainder(session);
        tls.writeClear(session, reply);
    }

    /**
     * The line decoder may hold the start of a clear-text line that came in behind the AUTH; left there, it would
     * become the prefix of the first command decrypted after the handshake. FtpServer's decoder is MINA's
     * TextLineDecoder, whose per-session buffer any instance can dispose of.
     */
    private static void forgetClearTextRemainder(IoSession session) {
        try {
            new TextLineDecoder(StandardCharsets.UTF_8).dispose(session);
        } catch (Exception e) {
            LOG.debug("session {}: cannot reset the line decoder: {}", session.getId(), e.toString());
        }
    }

    /** Whether AUTH started a handshake that has not completed (or failed) yet. */
    public boolean handshakePending() {
        TlsFilter tls = filter;
        return tls != null && !state().ctrlProtected() && !handshakeEnded;
    }

    /** A clear-text command arrived between AUTH and the end of the handshake: the handshake fails. */
    void refuseClearTextDuringHandshake(FtpIoSession session, String verb) {
        LOG.warn("session {}: {} sent in clear after AUTH, before the TLS handshake; ending the session", id, verb);
        handshakeFailed(session, new SSLHandshakeException("clear-text " + verb + " command sent after AUTH, "
                + "before the TLS handshake"), false);
    }

    /**
     * Tells FtpServer's data-connection factory what PROT decided. The factory reads the session state itself
     * (ControlDataSecurity); this only clears a flag a stock configuration may have set (data-connection
     * implicit-ssl) when PROT C asks for clear data.
     */
    public void dataProtectionChanged(FtpIoSession session) {
        session.getDataConnection().setSecure(state().dataProtRequested());
    }

    /** The TLS filter of this connection, or null before AUTH. */
    public TlsFilter filter() {
        return filter;
    }

    @Override
    public boolean initialHandshakeCompletionBlocks(IoSession session) {
        ClientVerification v = engine.clientVerification();
        return v != null && v.checksMayBlock();
    }

    @Override
    public void handshakeCompleted(IoSession session, SSLSession sslSession, HandshakeKind kind,
            boolean peerInitiated) {
        if (kind == HandshakeKind.RENEGOTIATION && peerInitiated
                && (!engine.settings().hasOption(TlsOption.ALLOW_CLIENT_RENEGOTIATIONS)
                        || engine.settings().renegotiation().refuseAll())) {
            // mod_tls §6.1: without AllowClientRenegotiations a client-initiated renegotiation ends the session
            log("warning: client-initiated session renegotiation detected, aborting connection");
            LOG.warn("session {}: client-initiated session renegotiation detected, aborting connection "
                    + "(TLSOptions AllowClientRenegotiations)", id);
            session.closeNow();
            return;
        }
        tlsSession = sslSession;
        if (kind == HandshakeKind.KEY_UPDATE) {
            return; // TLS 1.3 KeyUpdate: same session, same token
        }
        token = SessionReuseGuard.bindToken(sslSession);
        if (kind != HandshakeKind.INITIAL) {
            return;
        }
        handshakeEnded = true;
        AuthMechanism mechanism = pendingMechanism;
        logClient(sslSession);
        boolean resumed = sslSession.getCreationTime() < handshakeStartedAt;
        String suite = sslSession.getCipherSuite();
        log(sslSession.getProtocol() + " connection accepted, using cipher " + CipherSuites.openSslName(suite) + " ("
                + CipherSuites.bits(suite) + " bits" + (resumed ? ", resumed session" : "") + ")");
        if (resumed) {
            log("client reused previous TLS session for control connection");
        }
        if (!ClientCertificateHooks.controlHandshakeAccepted(this, session, sslSession)) {
            return;
        }
        Decision decision = decide(s -> engine.policy().authSucceeded(s, mechanism));
        log(decision.logLines());
        ClientCertificateHooks.controlSecured(this, session, sslSession);
        LOG.debug("session {}: control channel secured with {} {}", id, sslSession.getProtocol(), suite);
    }

    private void logClient(SSLSession sslSession) {
        try {
            Certificate[] peer = sslSession.getPeerCertificates();
            if (peer.length > 0 && peer[0] instanceof X509Certificate) {
                log("Client: " + OpenSslText.subject((X509Certificate) peer[0]));
            }
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            // no client certificate: mod_tls logs no "Client:" line
        }
    }

    @Override
    public void engineCreated(IoSession session, javax.net.ssl.SSLEngine sslEngine) {
        ClientCertificateHooks.controlEngineCreated(this, sslEngine);
    }

    /**
     * The handshake succeeded but a check that follows it failed (mod_tls-spec §5.3): logs {@code lines}, then ends
     * the session as a failed AUTH handshake does (the policy's lines, 421, close). The reply goes over the TLS
     * connection the client already has, so that it can read it; close_notify follows.
     */
    void rejectAfterHandshake(IoSession session, List<String> lines) {
        log(lines);
        Decision decision = engine.policy().authFailed(state(), pendingMechanism);
        log(decision.logLines());
        session.write(new DefaultFtpReply(decision.replyCode(), decision.replyText()));
        session.closeOnFlush();
    }

    /** The client's certificate on the control connection (verified in the handshake), or null. */
    public X509Certificate clientCertificate() {
        return ClientVerification.peerCertificate(tlsSession);
    }

    @Override
    public void handshakeFailed(IoSession session, SSLException cause, boolean timedOut) {
        synchronized (this) {
            if (handshakeEnded) {
                return;
            }
            handshakeEnded = true;
        }
        AuthMechanism mechanism = pendingMechanism;
        log(HandshakeFailureMessages.describe(cause, timedOut, engine.settings()));
        Decision decision = engine.policy().authFailed(state(), mechanism);
        log(decision.logLines());
        TlsFilter tls = filter;
        DefaultFtpReply reply = new DefaultFtpReply(decision.replyCode(), decision.replyText());
        if (tls != null) {
            tls.writeClear(session, reply).addListener(f -> session.closeNow());
        } else {
            session.write(reply);
            session.closeOnFlush();
        }
    }

    /** CCC accepted and its 200 written: shut TLS down after that reply; {@link #tlsStopped} follows. */
    public void clearTls(FtpIoSession session) {
        TlsFilter tls = filter;
        if (tls != null) {
            tls.stopTls(session);
        }
    }

    @Override
    public void tlsStopped(IoSession session, boolean closeNotifyReceived) {
        TlsFilter tls = filter;
        filter = null;
        tlsSession = null;
        token = null;
        if (tls != null) {
            tls.removeFromChain(session);
        }
        LOG.debug("session {}: control channel cleared by CCC (client close_notify: {})", id, closeNotifyReceived);
    }

    @Override
    public void tlsFailed(IoSession session, SSLException cause) {
        LOG.debug("session {}: TLS failed on the control channel: {}", id, cause.toString());
    }

    /** The session ended: nothing to release yet but the reference to the TLS session. */
    void sessionClosed() {
        tlsSession = null;
    }

    /** The session-reuse token bound into the current TLS session, or null while the channel is clear. */
    public String token() {
        return token;
    }

    /**
     * After a transfer on TLS 1.3: touching a value of the control session makes the JDK send a fresh (single-use)
     * session ticket with the next control reply, so clients that offer the control connection's latest ticket can
     * resume on the next data connection too (jsse-notes §1-2).
     */
    void refreshTicket() {
        SSLSession s = tlsSession;
        if (s != null && "TLSv1.3".equals(s.getProtocol())) {
            s.putValue(TICKET_GENERATION_KEY, ticketGeneration.incrementAndGet());
        }
    }
}
