package dev.modtls.config;

/** {@code TLSVerifyServer}: checks of the peer server certificate when acting as TLS client for SSCN (spec §4.5). */
public enum VerifyServer {
    OFF,
    ON,
    /** Verify the certificate, but do not look up the peer's name by reverse DNS. */
    NO_REVERSE_DNS
}
