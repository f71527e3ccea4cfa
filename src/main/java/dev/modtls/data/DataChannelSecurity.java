package dev.modtls.data;

import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

import org.apache.ftpserver.ssl.ClientAuth;

import dev.modtls.log.TlsLog;

/**
 * What the data connections need to know about their control connection's TLS state, implemented by the control
 * side (the lead's session state) and stored in the control session under {@link #SESSION_ATTRIBUTE}. It is read
 * when a transfer opens its data connection (after the 150 reply), so a PROT, CCC or login change made after
 * PASV/PORT applies, as in mod_tls.
 */
public interface DataChannelSecurity {

    /** The control {@code IoSession} attribute under which the lead stores this session's instance. */
    String SESSION_ATTRIBUTE = "dev.modtls.data.security";

    /** No TLS on data connections (no AUTH, or a server without TLS). */
    DataChannelSecurity NONE = new DataChannelSecurity() {
        @Override
        public boolean isDataProtected() {
            return false;
        }

        @Override
        public SSLContext sslContext() {
            return null;
        }
    };

    /** Whether this transfer must be protected: PROT P, AUTH SSL/TLS-P, or TLSRequired for data. */
    boolean isDataProtected();

    /** The listener's SSLContext, the very one the control connection uses (resumption needs its session cache). */
    SSLContext sslContext();

    /** Protocols for the data engine (null: the context's defaults). */
    default String[] enabledProtocols() {
        return null;
    }

    /** Cipher suites for the data engine (null: the context's defaults). */
    default String[] enabledCipherSuites() {
        return null;
    }

    /** Client-certificate request mode for the data engine (TLSVerifyClient). */
    default ClientAuth clientAuth() {
        return ClientAuth.NONE;
    }

    /** TLSTimeoutHandshake in seconds; 0 = no limit (the data idle time still bounds the wait). */
    default int handshakeTimeoutSeconds() {
        return 300;
    }

    /**
     * Whether the data session must resume the control session: false under NoSessionReuseRequired (global or per
     * user), {@code TLSSessionCache off}, and after CCC.
     */
    default boolean isSessionReuseRequired() {
        return true;
    }

    /** Whether the server acts as TLS client on the data connection (SSCN ON), for non-listing transfers. */
    default boolean isClientMode() {
        return false;
    }

    /** The control connection's current SSLSession (null after CCC or when unreadable). */
    default SSLSession controlSession() {
        return null;
    }

    /** The token {@link SessionReuseGuard#bindToken} bound into the control session. */
    default String controlToken() {
        return null;
    }

    /** The client certificate the control connection presented, or null (mod_tls section 4.1 item 9). */
    default X509Certificate controlClientCertificate() {
        return null;
    }

    /**
     * A data connection's SSLEngine was created: lets the control side route what its trust manager logs about
     * this connection's client certificate to the control connection's TLSLog id.
     */
    default void dataEngineCreated(javax.net.ssl.SSLEngine engine) {
    }

    /** The TLSLog to write data-connection lines to. */
    default TlsLog tlsLog() {
        return TlsLog.NONE;
    }

    /** The control connection's id for TLSLog lines. */
    default long connectionId() {
        return 0;
    }

    /**
     * Called after every transfer (successful or not), in the command thread, before the command's final reply;
     * the lead refreshes the TLS 1.3 ticket here ({@code controlSession.putValue(...)}) so the next control reply
     * carries a fresh single-use ticket.
     */
    default void afterTransfer(boolean protectedTransfer) {
    }
}
