package dev.modtls.data;

import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * mod_tls's session-reuse requirement (mod_tls-spec.md section 4.2) and its control/data client-certificate check
 * (section 4.1 item 9), as pure decisions: no sockets, no logging; the verdict carries the TLSLog lines to write.
 *
 * <p>JSSE has no "was this session resumed" API, so the link is made as DECISIONS.md says: at the control handshake
 * {@link #bindToken} puts an unguessable token into the control SSLSession. With stateful caching
 * ({@code jdk.tls.server.enableSessionTicketExtension=false}) a TLS 1.2 data connection that resumed the control
 * session gets the very same session object, and a TLS 1.3 one gets a copy sharing its bound values; either way the
 * data session carries the token. A data session that does not carry it but was created before its handshake began
 * resumed some other session; one created during the handshake is a full handshake.
 */
public final class SessionReuseGuard {

    /** The SSLSession value name under which the control connection's token is bound. */
    public static final String TOKEN_KEY = "dev.modtls.control-token";

    /** Remaining control-session lifetime at or below which mod_tls warns after an accepted data connection. */
    static final long EXPIRY_WARNING_SECONDS = 60;

    static final String NOT_REUSED =
        "client did not reuse TLS session, rejecting data connection (see the NoSessionReuseRequired TLSOptions parameter)";
    static final String REUSED = "client reused TLS session for data connection";
    static final String NOT_FROM_CONTROL = "client did not reuse TLS session from control channel, rejecting data "
        + "connection (see the NoSessionReuseRequired TLSOptions parameter)";
    static final String NO_DATA_SESSION = "BUG: unable to determine whether client reused TLS session: "
        + "SSL_get_session() for data connection returned NULL";
    static final String NO_CONTROL_SESSION = "BUG: unable to determine whether client reused TLS session: "
        + "SSL_get_session() for control connection returned NULL!";
    static final String BUG_REJECT = "rejecting data connection (see TLSOption NoSessionReuseRequired)";
    static final String EXPIRY_HINT = "Consider using 'TLSSessionCache internal:' to increase the session cache "
        + "expiration if necessary, or renegotiate the control channel TLS session";
    static final String CERT_MISMATCH = "unable to open data connection: control/data certificate mismatch";

    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionReuseGuard() {
    }

    /**
     * Binds a fresh 128-bit random token into the control session (call when the control handshake completes and
     * again after a renegotiation) and returns it; keep it with the control connection for {@link #check}.
     */
    public static String bindToken(SSLSession controlSession) {
        byte[] raw = new byte[16];
        RANDOM.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        controlSession.putValue(TOKEN_KEY, token);
        return token;
    }

    /**
     * The reuse decision for one protected, server-mode data connection.
     *
     * @param control the control connection's SSLSession, or null if it cannot be read
     * @param token the token {@link #bindToken} bound into it
     * @param data the data connection's SSLSession after its handshake, or null if it cannot be read
     * @param handshakeStartMillis {@link System#currentTimeMillis()} taken just before the data handshake began
     * @param reuseRequired false under NoSessionReuseRequired, {@code TLSSessionCache off}, or after CCC
     * @param cacheLifetimeSeconds the server session cache's lifetime (for the expiry warning); 0 = unlimited
     * @param nowMillis the current time
     */
    public static Verdict check(SSLSession control, String token, SSLSession data, long handshakeStartMillis,
                                boolean reuseRequired, long cacheLifetimeSeconds, long nowMillis) {
        if (!reuseRequired) {
            return new Verdict(true, resumedAnything(control, token, data, handshakeStartMillis), List.of());
        }
        if (data == null) {
            return Verdict.reject(NO_DATA_SESSION, BUG_REJECT);
        }
        if (control == null) {
            return Verdict.reject(NO_CONTROL_SESSION, BUG_REJECT);
        }
        if (!carriesToken(control, token, data)) {
            if (data.getCreationTime() < handshakeStartMillis) {
                return Verdict.reject(REUSED, NOT_FROM_CONTROL);
            }
            return Verdict.reject(NOT_REUSED);
        }
        if (cacheLifetimeSeconds > 0) {
            long left = (control.getCreationTime() + cacheLifetimeSeconds * 1000L - nowMillis) / 1000L;
            if (left <= EXPIRY_WARNING_SECONDS) {
                long shown = Math.max(0, left);
                return new Verdict(true, true, List.of(REUSED,
                    "control channel TLS session expires in " + shown + " secs (" + cacheLifetimeSeconds
                        + " session cache expiration)",
                    EXPIRY_HINT));
            }
        }
        return new Verdict(true, true, List.of(REUSED));
    }

    /**
     * mod_tls's control/data client-certificate check: a data connection whose client certificate differs from the
     * one the control connection presented is refused. Returns the TLSLog line for a mismatch, or null.
     */
    public static String certificateMismatch(Certificate controlClientCertificate, SSLSession data) {
        if (controlClientCertificate == null || data == null) {
            return null;
        }
        Certificate[] chain;
        try {
            chain = data.getPeerCertificates();
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        }
        if (chain == null || chain.length == 0 || chain[0].equals(controlClientCertificate)) {
            return null;
        }
        return CERT_MISMATCH;
    }

    private static boolean carriesToken(SSLSession control, String token, SSLSession data) {
        if (token == null) {
            return false;
        }
        if (data == control) {
            return token.equals(control.getValue(TOKEN_KEY));
        }
        return token.equals(data.getValue(TOKEN_KEY));
    }

    private static boolean resumedAnything(SSLSession control, String token, SSLSession data, long start) {
        if (data == null) {
            return false;
        }
        return (control != null && carriesToken(control, token, data)) || data.getCreationTime() < start;
    }

    /** The outcome: accept or reject, whether the data session was resumed, and the TLSLog lines in order. */
    public static final class Verdict {
        private final boolean accepted;
        private final boolean resumed;
        private final List<String> logLines;

        Verdict(boolean accepted, boolean resumed, List<String> logLines) {
            this.accepted = accepted;
            this.resumed = resumed;
            this.logLines = List.copyOf(Objects.requireNonNull(logLines));
        }

        static Verdict reject(String... lines) {
            return new Verdict(false, false, List.of(lines));
        }

        public boolean accepted() {
            return accepted;
        }

        /** Whether the data handshake resumed a session (for "resumed session" in the accepted line). */
        public boolean resumed() {
            return resumed;
        }

        public List<String> logLines() {
            return logLines;
        }

        @Override
        public String toString() {
            return (accepted ? "accept" : "reject") + logLines;
        }
    }
}
