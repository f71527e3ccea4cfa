package dev.modtls.pki;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLSVerifyClient as JSSE's client-authentication mode: {@code off} sends no CertificateRequest, {@code optional}
 * requests a certificate (one that is sent must verify), {@code on} requires one.
 */
public enum ClientAuthMode {
    NONE, WANT, NEED;

    /** {@code off}, {@code optional} or {@code on} (mod_tls also accepts the boolean spellings for on/off). */
    public static ClientAuthMode ofVerifyClient(String value) {
        switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "optional":
                return WANT;
            case "on":
            case "yes":
            case "true":
            case "1":
                return NEED;
            case "off":
            case "no":
            case "false":
            case "0":
                return NONE;
            default:
                throw new IllegalArgumentException("TLSVerifyClient: bad parameter '" + value + "'");
        }
    }

    /** Whether a certificate is requested at all (and so the acceptable CA names are sent). */
    public boolean requestsCertificate() {
        return this != NONE;
    }

    public void apply(SSLEngine engine) {
        if (this == NEED) {
            engine.setNeedClientAuth(true);
        } else {
            engine.setWantClientAuth(this == WANT);
        }
    }

    public void apply(SSLParameters parameters) {
        if (this == NEED) {
            parameters.setNeedClientAuth(true);
        } else {
            parameters.setWantClientAuth(this == WANT);
        }
    }
}
