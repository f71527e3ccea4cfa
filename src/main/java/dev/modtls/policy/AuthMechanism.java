package dev.modtls.policy;

/** How TLS was started on the control connection: which AUTH argument, or implicit FTPS. */
public enum AuthMechanism {
    /** {@code AUTH TLS} / {@code AUTH TLS-C}: the control channel only. */
    TLS("TLS/TLS-C"),
    /** {@code AUTH SSL} / {@code AUTH TLS-P}: the control channel, and data protection implied. */
    SSL("SSL/TLS-P"),
    /** {@code TLSOptions UseImplicitSSL}: handshake at connect, before the banner. */
    IMPLICIT("implicit SSL/TLS");

    private final String logName;

    AuthMechanism(String logName) {
        this.logName = logName;
    }

    /** The name mod_tls uses in its log lines, e.g. {@code TLS/TLS-C}. */
    public String logName() {
        return logName;
    }
}
