package dev.modtls.config;

/** {@code TLSVerifyClient}: whether a client certificate is requested, and whether it is required (spec §5.1). */
public enum VerifyClient {
    /** No CertificateRequest is sent. */
    OFF,
    /** A certificate is requested; one that is presented must verify. */
    OPTIONAL,
    /** A certificate is required, must verify, and the post-handshake name checks run. */
    ON
}
