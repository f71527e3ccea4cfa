package dev.modtls.server;

import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

import dev.modtls.config.TlsSettings;
import dev.modtls.data.DataChannelSecurity;
import dev.modtls.log.TlsLog;
import dev.modtls.policy.SessionState;

/**
 * What a data connection needs from its control connection, read when a transfer opens it (after the 150), so a
 * PROT, CCC or login change made after PASV/PORT applies as in mod_tls (§4.1).
 */
final class ControlDataSecurity implements DataChannelSecurity {

    private final ControlChannel control;

    ControlDataSecurity(ControlChannel control) {
        this.control = control;
    }

    private TlsSettings settings() {
        return control.engine().settings();
    }

    /** mod_tls §2.2 E: protected when PROT P (or AUTH SSL) asked for it, or TLSRequired demands it for data. */
    @Override
    public boolean isDataProtected() {
        SessionState state = control.state();
        return state.tlsMechanism() && (state.dataProtRequested() || settings().required().dataRequired());
    }

    @Override
    public SSLContext sslContext() {
        return control.engine().sslContext();
    }

    @Override
    public String[] enabledProtocols() {
        return settings().protocols().toArray(new String[0]);
    }

    @Override
    public String[] enabledCipherSuites() {
        return settings().cipherSuites();
    }

    /** Data connections ask for a client certificate as the control connection did (TLSVerifyClient). */
    @Override
    public org.apache.ftpserver.ssl.ClientAuth clientAuth() {
        switch (control.engine().controlEngineSettings().clientAuth()) {
        case NEED:
            return org.apache.ftpserver.ssl.ClientAuth.NEED;
        case WANT:
            return org.apache.ftpserver.ssl.ClientAuth.WANT;
        default:
            return org.apache.ftpserver.ssl.ClientAuth.NONE;
        }
    }

    @Override
    public int handshakeTimeoutSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, settings().handshakeTimeout().toSeconds());
    }

    /** Not required under NoSessionReuseRequired, TLSSessionCache off (which implies it), or after CCC (§4.4). */
    @Override
    public boolean isSessionReuseRequired() {
        return settings().sessionReuseRequired() && !control.state().cccDone();
    }

    @Override
    public SSLSession controlSession() {
        return control.tlsSession();
    }

    @Override
    public String controlToken() {
        return control.token();
    }

    @Override
    public X509Certificate controlClientCertificate() {
        return control.clientCertificate();
    }

    @Override
    public void dataEngineCreated(javax.net.ssl.SSLEngine engine) {
        ClientVerification verification = control.engine().clientVerification();
        if (verification != null) {
            verification.track(engine, control.id());
        }
    }

    @Override
    public TlsLog tlsLog() {
        return control.engine().log();
    }

    @Override
    public long connectionId() {
        return control.id();
    }

    @Override
    public void afterTransfer(boolean protectedTransfer) {
        control.refreshTicket();
    }
}
