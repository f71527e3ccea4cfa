package dev.modtls.data;

/**
 * The symmetric strength in bits of a JSSE cipher suite name, as OpenSSL's {@code SSL_get_cipher_bits} reports it
 * for mod_tls's "using cipher %s (%d bits)" lines. JSSE has no API for it, so it is read from the suite name.
 */
final class CipherBits {

    private CipherBits() {
    }

    static int of(String cipherSuite) {
        if (cipherSuite == null) {
            return 0;
        }
        String s = cipherSuite.toUpperCase(java.util.Locale.ROOT);
        if (s.contains("CHACHA20") || s.contains("AES_256") || s.contains("ARIA_256") || s.contains("CAMELLIA_256")) {
            return 256;
        }
        if (s.contains("AES_128") || s.contains("ARIA_128") || s.contains("CAMELLIA_128")) {
            return 128;
        }
        if (s.contains("3DES")) {
            return 112;
        }
        if (s.contains("_NULL_") || s.endsWith("_NULL")) {
            return 0;
        }
        return 0;
    }
}
