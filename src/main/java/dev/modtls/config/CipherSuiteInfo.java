package dev.modtls.config;

/**
 * What OpenSSL's cipher-string keywords select on, derived from a JDK (IANA) suite name such as
 * {@code TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384}: key exchange, authentication, encryption and its bits, MAC, the first
 * protocol that can use it, OpenSSL's strength class, and OpenSSL's name for it. The JDK has no such table, and the
 * IANA names are regular enough to derive it.
 */
public final class CipherSuiteInfo {
    /** OpenSSL's strength classes. */
    public enum Strength { HIGH, MEDIUM, LOW, EXPORT, NONE }

    private final String jdkName;
    private final String openSslName;
    private final boolean tls13;
    private final String kx;      // RSA, DHE, ECDHE, ECDH, DH, PSK, KRB5, SRP ... ("" for TLS 1.3)
    private final String au;      // RSA, DSS, ECDSA, NULL, ECDH, PSK ... ("" for TLS 1.3)
    private final String enc;     // AES, CAMELLIA, CHACHA20, 3DES, DES, RC4, NULL, ARIA, SEED, IDEA ...
    private final String mode;    // CBC, GCM, CCM, CCM8, POLY1305, "" (stream / null)
    private final int bits;
    private final String mac;     // SHA1, SHA256, SHA384, MD5, AEAD
    private final boolean export;

    private CipherSuiteInfo(String jdkName, boolean tls13, String kx, String au, String enc, String mode, int bits,
            String mac, boolean export, String openSslName) {
        this.jdkName = jdkName;
        this.tls13 = tls13;
        this.kx = kx;
        this.au = au;
        this.enc = enc;
        this.mode = mode;
        this.bits = bits;
        this.mac = mac;
        this.export = export;
        this.openSslName = openSslName;
    }

    /** Derives the attributes of a JDK suite name; null for names that are not cipher suites (e.g. the SCSV). */
    public static CipherSuiteInfo of(String jdkName) {
        if (!jdkName.startsWith("TLS_") && !jdkName.startsWith("SSL_")) {
            return null;
        }
        int with = jdkName.indexOf("_WITH_");
        if (with < 0) {
            if (jdkName.contains("SCSV")) {
                return null;
            }
            // TLS 1.3: TLS_<ENC>_<MAC>, e.g. TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256
            String body = jdkName.substring(4);
            String macPart = body.substring(body.lastIndexOf('_') + 1);
            Enc e = enc(body.substring(0, body.lastIndexOf('_')));
            if (e == null) {
                return null;
            }
            return new CipherSuiteInfo(jdkName, true, "", "", e.family, e.mode, e.bits, "AEAD", false, jdkName);
        }
        String kxau = jdkName.substring(4, with);
        String rest = jdkName.substring(with + 6);
        boolean export = kxau.endsWith("_EXPORT") || rest.contains("EXPORT");
        kxau = kxau.replace("_EXPORT", "");
        String kx;
        String au;
        switch (kxau) {
            case "RSA": kx = "RSA"; au = "RSA"; break;
            case "DHE_RSA": kx = "DHE"; au = "RSA"; break;
            case "DHE_DSS": kx = "DHE"; au = "DSS"; break;
            case "DH_anon": kx = "DHE"; au = "NULL"; break;
            case "ECDHE_RSA": kx = "ECDHE"; au = "RSA"; break;
            case "ECDHE_ECDSA": kx = "ECDHE"; au = "ECDSA"; break;
            case "ECDH_anon": kx = "ECDHE"; au = "NULL"; break;
            case "ECDH_RSA": kx = "ECDH"; au = "ECDH"; break;
            case "ECDH_ECDSA": kx = "ECDH"; au = "ECDH"; break;
            case "DH_RSA": kx = "DH"; au = "DH"; break;
            case "DH_DSS": kx = "DH"; au = "DH"; break;
            case "PSK": kx = "PSK"; au = "PSK"; break;
            case "DHE_PSK": kx = "DHEPSK"; au = "PSK"; break;
            case "ECDHE_PSK": kx = "ECDHEPSK"; au = "PSK"; break;
            case "RSA_PSK": kx = "RSAPSK"; au = "RSA"; break;
            case "KRB5": kx = "KRB5"; au = "KRB5"; break;
            default: kx = kxau; au = kxau; break;
        }
        String mac;
        String encPart;
        if (rest.endsWith("_SHA384")) {
            mac = "SHA384";
            encPart = rest.substring(0, rest.length() - 7);
        } else if (rest.endsWith("_SHA256")) {
            mac = "SHA256";
            encPart = rest.substring(0, rest.length() - 7);
        } else if (rest.endsWith("_SHA")) {
            mac = "SHA1";
            encPart = rest.substring(0, rest.length() - 4);
        } else if (rest.endsWith("_MD5")) {
            mac = "MD5";
            encPart = rest.substring(0, rest.length() - 4);
        } else {
            mac = "AEAD";
            encPart = rest; // CCM suites carry no MAC name
        }
        Enc e = enc(encPart.replace("EXPORT1024_", "").replace("EXPORT_", ""));
        if (e == null) {
            return null;
        }
        String name = openSslName(kxau, e, mac, encPart);
        return new CipherSuiteInfo(jdkName, false, kx, au, e.family, e.mode, export ? Math.min(e.bits, 56) : e.bits,
                mac, export, name);
    }

    private static final class Enc {
        final String family;
        final String mode;
        final int bits;

        Enc(String family, String mode, int bits) {
            this.family = family;
            this.mode = mode;
            this.bits = bits;
        }
    }

    private static Enc enc(String s) {
        switch (s) {
            case "AES_128_CBC": return new Enc("AES", "CBC", 128);
            case "AES_256_CBC": return new Enc("AES", "CBC", 256);
            case "AES_128_GCM": return new Enc("AES", "GCM", 128);
            case "AES_256_GCM": return new Enc("AES", "GCM", 256);
            case "AES_128_CCM": return new Enc("AES", "CCM", 128);
            case "AES_256_CCM": return new Enc("AES", "CCM", 256);
            case "AES_128_CCM_8": return new Enc("AES", "CCM8", 128);
            case "AES_256_CCM_8": return new Enc("AES", "CCM8", 256);
            case "CHACHA20_POLY1305": return new Enc("CHACHA20", "POLY1305", 256);
            case "CAMELLIA_128_CBC": return new Enc("CAMELLIA", "CBC", 128);
            case "CAMELLIA_256_CBC": return new Enc("CAMELLIA", "CBC", 256);
            case "CAMELLIA_128_GCM": return new Enc("CAMELLIA", "GCM", 128);
            case "CAMELLIA_256_GCM": return new Enc("CAMELLIA", "GCM", 256);
            case "ARIA_128_CBC": return new Enc("ARIA", "CBC", 128);
            case "ARIA_256_CBC": return new Enc("ARIA", "CBC", 256);
            case "ARIA_128_GCM": return new Enc("ARIA", "GCM", 128);
            case "ARIA_256_GCM": return new Enc("ARIA", "GCM", 256);
            case "3DES_EDE_CBC": return new Enc("3DES", "CBC", 112);
            case "DES_CBC": return new Enc("DES", "CBC", 56);
            case "DES40_CBC": return new Enc("DES", "CBC", 40);
            case "RC4_128": return new Enc("RC4", "", 128);
            case "RC4_40": return new Enc("RC4", "", 40);
            case "SEED_CBC": return new Enc("SEED", "CBC", 128);
            case "IDEA_CBC": return new Enc("IDEA", "CBC", 128);
            case "NULL": return new Enc("NULL", "", 0);
            default: return null;
        }
    }

    private static String openSslName(String kxau, Enc e, String mac, String encPart) {
        String prefix;
        switch (kxau) {
            case "RSA": prefix = ""; break;
            case "DH_anon": prefix = "ADH-"; break;
            case "ECDH_anon": prefix = "AECDH-"; break;
            default: prefix = kxau.replace('_', '-') + "-"; break;
        }
        String cipher;
        switch (e.family) {
            case "3DES": cipher = "DES-CBC3"; break;
            case "DES": cipher = "DES-CBC"; break;
            case "RC4": cipher = "RC4"; break;
            case "NULL": cipher = "NULL"; break;
            case "CHACHA20": return prefix + "CHACHA20-POLY1305";
            default: cipher = e.family + e.bits; break;
        }
        if (e.mode.equals("GCM")) {
            cipher += "-GCM";
        } else if (e.mode.equals("CCM")) {
            return prefix + cipher + "-CCM";
        } else if (e.mode.equals("CCM8")) {
            return prefix + cipher + "-CCM8";
        }
        String macName = mac.equals("SHA1") ? "SHA" : mac;
        return prefix + cipher + "-" + macName;
    }

    public String jdkName() {
        return jdkName;
    }

    public String openSslName() {
        return openSslName;
    }

    /** A TLS 1.3 suite (configured by {@code TLSCipherSuite TLSv1.3 ...}, never by a ≤1.2 cipher string). */
    public boolean tls13() {
        return tls13;
    }

    public String keyExchange() {
        return kx;
    }

    public String authentication() {
        return au;
    }

    public String encryption() {
        return enc;
    }

    public String mode() {
        return mode;
    }

    public int bits() {
        return bits;
    }

    public String mac() {
        return mac;
    }

    /** Usable only from TLS 1.2 on (AEAD modes, or SHA-256/384 MACs). */
    public boolean requiresTls12() {
        return !tls13 && (mac.equals("SHA256") || mac.equals("SHA384") || mac.equals("AEAD"));
    }

    /** OpenSSL's strength class of this suite. */
    public Strength strength() {
        if (export) {
            return Strength.EXPORT;
        }
        switch (enc) {
            case "NULL":
                return Strength.NONE;
            case "3DES":
            case "RC4":
            case "SEED":
            case "IDEA":
                return Strength.MEDIUM;
            case "DES":
                return Strength.LOW;
            default:
                return bits >= 128 ? Strength.HIGH : Strength.LOW;
        }
    }

    @Override
    public String toString() {
        return openSslName + " (" + jdkName + ")";
    }
}
