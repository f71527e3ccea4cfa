package dev.modtls.pki;

/** A TLSVerifyOrder item. */
public enum RevocationMethod {
    CRL, OCSP
}
