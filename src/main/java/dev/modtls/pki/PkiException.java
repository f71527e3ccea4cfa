package dev.modtls.pki;

/**
 * A file could not be used as a certificate, key, CRL or bundle. The message is the bare reason in mod_tls's (or
 * OpenSSL's) wording, such as {@code wrong pass phrase}; callers add the directive and the file name.
 */
public class PkiException extends Exception {
    private static final long serialVersionUID = 1L;

    public PkiException(String reason) {
        super(reason);
    }

    public PkiException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
