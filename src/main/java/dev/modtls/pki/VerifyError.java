package dev.modtls.pki;

/**
 * The OpenSSL certificate verification errors a client chain can fail with, with OpenSSL 3's numbers and
 * {@code X509_verify_cert_error_string} texts (checked against {@code openssl verify} 3.0), and whether mod_tls logs
 * them as {@code client certificate failed verification: %s} or as {@code error verifying client certificate: [%d] %s}.
 */
public enum VerifyError {
    UNABLE_TO_GET_ISSUER_CERT(2, "unable to get issuer certificate", false),
    UNABLE_TO_GET_CRL(3, "unable to get certificate CRL", false),
    CERT_SIGNATURE_FAILURE(7, "certificate signature failure", false),
    CRL_SIGNATURE_FAILURE(8, "CRL signature failure", false),
    CERT_NOT_YET_VALID(9, "certificate is not yet valid", false),
    CERT_HAS_EXPIRED(10, "certificate has expired", true),
    CRL_NOT_YET_VALID(11, "CRL is not yet valid", false),
    CRL_HAS_EXPIRED(12, "CRL has expired", false),
    DEPTH_ZERO_SELF_SIGNED_CERT(18, "self-signed certificate", true),
    SELF_SIGNED_CERT_IN_CHAIN(19, "self-signed certificate in certificate chain", true),
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY(20, "unable to get local issuer certificate", true),
    UNABLE_TO_VERIFY_LEAF_SIGNATURE(21, "unable to verify the first certificate", true),
    CERT_CHAIN_TOO_LONG(22, "certificate chain too long", true),
    CERT_REVOKED(23, "certificate revoked", true),
    INVALID_CA(24, "invalid CA certificate", false),
    INVALID_PURPOSE(26, "unsupported certificate purpose", true),
    APPLICATION_VERIFICATION(50, "application verification failure", true);

    private final int code;
    private final String text;
    private final boolean failedVerification;

    VerifyError(int code, String text, boolean failedVerification) {
        this.code = code;
        this.text = text;
        this.failedVerification = failedVerification;
    }

    public int code() {
        return code;
    }

    /** OpenSSL's text, e.g. {@code certificate has expired}. */
    public String text() {
        return text;
    }

    /** mod_tls's last log line for this error. */
    public String logLine() {
        return failedVerification ? "client certificate failed verification: " + text
                : "error verifying client certificate: [" + code + "] " + text;
    }
}
