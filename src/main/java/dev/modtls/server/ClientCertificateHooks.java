package dev.modtls.server;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.apache.mina.core.session.IoSession;

/**
 * What the control channel does about client certificates at three points of its TLS life, kept out of
 * {@link ControlChannel} so that the control channel's own logic stays readable: the engine is created (route the
 * verification lines, log disabled name checks), the handshake succeeded (the {@code TLSVerifyClient on} name checks,
 * mod_tls-spec §5.3), the channel is secured (publish the TLS facts of §5.6 as session attributes).
 */
final class ClientCertificateHooks {

    private ClientCertificateHooks() {
    }

    static void controlEngineCreated(ControlChannel control, SSLEngine sslEngine) {
        ClientVerification v = control.engine().clientVerification();
        if (v != null) {
            v.controlEngineCreated(sslEngine, control.id());
        }
    }

    /**
     * Runs the post-handshake checks; on failure ends the session the way a failed handshake does.
     *
     * @return whether the control handshake stands
     */
    static boolean controlHandshakeAccepted(ControlChannel control, IoSession session, SSLSession tls) {
        ClientVerification v = control.engine().clientVerification();
        if (v == null) {
            return true;
        }
        ClientVerification.Outcome outcome = v.afterControlHandshake(session, tls);
        if (outcome.ok()) {
            control.log(outcome.lines());
            return true;
        }
        control.rejectAfterHandshake(session, outcome.lines());
        return false;
    }

    static void controlSecured(ControlChannel control, IoSession session, SSLSession tls) {
        TlsFacts.publish(session, TlsFacts.of(tls, control.engine().settings(), control::log));
    }
}
