package dev.modtls.config;

/** One mechanism of {@code TLSVerifyOrder} (spec §5.2). */
public enum RevocationCheck {
    CRL,
    OCSP
}
