package dev.modtls.data;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;

import dev.modtls.log.TlsLog;

/**
 * The MINA adapter of {@link SessionReuseGuard}: placed after the TLS filter on one data connection's chain, it
 * runs the guard and the control/data certificate check when the data handshake completes, writes the verdict's
 * TLSLog lines, tells the waiting transfer command, and closes a refused connection. One instance per data
 * connection (it carries that connection's handshake start time).
 */
final class SessionReuseGuardFilter extends IoFilterAdapter {

    static final String NAME = "modtls-reuse-guard";

    private final DataChannelSecurity security;
    private final long handshakeStartMillis;
    private final boolean checkReuse;

    private volatile SessionReuseGuard.Verdict verdict;
    private volatile boolean certificateMismatch;

    /**
     * @param checkReuse false when the server is the TLS client (SSCN): it resumes nothing then
     */
    SessionReuseGuardFilter(DataChannelSecurity security, long handshakeStartMillis, boolean checkReuse) {
        this.security = security;
        this.handshakeStartMillis = handshakeStartMillis;
        this.checkReuse = checkReuse;
    }

    @Override
    public void event(NextFilter next, IoSession session, FilterEvent event) throws Exception {
        if (event == SslEvent.SECURED && verdict == null) {
            decide(session);
        }
        next.event(session, event);
    }

    private void decide(IoSession session) {
        SSLSession data = (SSLSession) session.getAttribute(SslFilter.SSL_SECURED);
        SSLSession control = security.controlSession();
        TlsLog log = security.tlsLog();
        long id = security.connectionId();
        SessionReuseGuard.Verdict v = SessionReuseGuard.check(control, security.controlToken(), data,
            handshakeStartMillis, checkReuse && security.isSessionReuseRequired(), lifetimeSeconds(control),
            System.currentTimeMillis());
        verdict = v;
        for (String line : v.logLines()) {
            log.log(id, line);
        }
        boolean accepted = v.accepted();
        if (accepted) {
            String mismatch = SessionReuseGuard.certificateMismatch(security.controlClientCertificate(), data);
            if (mismatch != null) {
                log.log(id, mismatch);
                accepted = false;
                certificateMismatch = true;
            }
        }
        DataChannel channel = DataChannel.of(session);
        if (channel != null) {
            channel.onTlsOutcome(accepted);
        }
        if (!accepted) {
            // Not closeNow(): MINA drops queued writes on closeNow, and the handshake's last flight (TLS 1.2:
            // ChangeCipherSpec + Finished) may still be queued; the client then reads our close_notify as garbage
            // instead of a clean TLS end.
            session.closeOnFlush();
        }
    }

    /** The verdict, once the handshake completed (null before). */
    SessionReuseGuard.Verdict verdict() {
        return verdict;
    }

    /** Whether the connection was refused for a control/data certificate mismatch (logged already). */
    boolean certificateMismatch() {
        return certificateMismatch;
    }

    private static long lifetimeSeconds(SSLSession control) {
        if (control == null) {
            return 0;
        }
        SSLSessionContext context = control.getSessionContext();
        return context == null ? 0 : context.getSessionTimeout();
    }
}
