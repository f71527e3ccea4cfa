package dev.modtls.pki;

/**
 * The two server key kinds the JVM can serve (mod_tls's DSA slot has no JSSE counterpart in TLS 1.3 and is not
 * offered). Each kind carries the names of its mod_tls directives, so that every error names the right one.
 */
public enum KeyKind {
    RSA("RSA", "TLSRSACertificateFile", "TLSRSACertificateKeyFile"),
    EC("EC", "TLSECCertificateFile", "TLSECCertificateKeyFile");

    private final String jcaAlgorithm;
    private final String certificateDirective;
    private final String keyDirective;

    KeyKind(String jcaAlgorithm, String certificateDirective, String keyDirective) {
        this.jcaAlgorithm = jcaAlgorithm;
        this.certificateDirective = certificateDirective;
        this.keyDirective = keyDirective;
    }

    /** The JCA key algorithm name ({@code Key.getAlgorithm()}), also the key type JSSE asks a key manager for. */
    public String jcaAlgorithm() {
        return jcaAlgorithm;
    }

    public String certificateDirective() {
        return certificateDirective;
    }

    public String keyDirective() {
        return keyDirective;
    }

    /** The kind of a JCA key algorithm name, or null when it is neither RSA nor EC. */
    public static KeyKind ofAlgorithm(String jcaAlgorithm) {
        for (KeyKind k : values()) {
            if (k.jcaAlgorithm.equalsIgnoreCase(jcaAlgorithm)) {
                return k;
            }
        }
        if ("ECDSA".equalsIgnoreCase(jcaAlgorithm)) {
            return EC;
        }
        return null;
    }
}
