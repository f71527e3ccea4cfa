package dev.modtls.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes of {@code <modtls:tls>}: one per mod_tls directive (kebab-case of the directive name without
 * {@code TLS}), plus the few typed settings mod_tls does not have. Each knows the directive it stands for, so that
 * an error can name both, and whether its value is a list of words (split on blanks, as on a proftpd.conf line) or
 * one value that may contain blanks (a file path).
 */
enum TlsAttribute {
    ENGINE("engine", "TLSEngine", Kind.WORDS),
    LOG("log", "TLSLog", Kind.ONE_VALUE),
    PROTOCOL("protocol", "TLSProtocol", Kind.WORDS),
    REQUIRED("required", "TLSRequired", Kind.WORDS),
    OPTIONS("options", "TLSOptions", Kind.WORDS),
    CIPHER_SUITE("cipher-suite", "TLSCipherSuite", Kind.WORDS),
    /** {@code TLSCipherSuite TLSv1.3 <list>}. */
    CIPHER_SUITE_TLS13("cipher-suite-tls13", "TLSCipherSuite", Kind.TLS13_WORDS),
    SERVER_CIPHER_PREFERENCE("server-cipher-preference", "TLSServerCipherPreference", Kind.WORDS),
    TIMEOUT_HANDSHAKE("timeout-handshake", "TLSTimeoutHandshake", Kind.WORDS),
    SESSION_CACHE("session-cache", "TLSSessionCache", Kind.WORDS),
    /** Typed: the internal cache's capacity (mod_tls leaves it to OpenSSL). */
    SESSION_CACHE_SIZE("session-cache-size", "TLSSessionCache", Kind.SESSION_CACHE_SIZE),
    VERIFY_CLIENT("verify-client", "TLSVerifyClient", Kind.WORDS),
    VERIFY_DEPTH("verify-depth", "TLSVerifyDepth", Kind.WORDS),
    VERIFY_ORDER("verify-order", "TLSVerifyOrder", Kind.WORDS),
    VERIFY_SERVER("verify-server", "TLSVerifyServer", Kind.WORDS),
    CA_CERTIFICATE_FILE("ca-certificate-file", "TLSCACertificateFile", Kind.ONE_VALUE),
    CA_CERTIFICATE_PATH("ca-certificate-path", "TLSCACertificatePath", Kind.ONE_VALUE),
    CA_REVOCATION_FILE("ca-revocation-file", "TLSCARevocationFile", Kind.ONE_VALUE),
    CA_REVOCATION_PATH("ca-revocation-path", "TLSCARevocationPath", Kind.ONE_VALUE),
    USER_NAME("user-name", "TLSUserName", Kind.WORDS),
    PASS_PHRASE_PROVIDER("pass-phrase-provider", "TLSPassPhraseProvider", Kind.ONE_VALUE),
    RENEGOTIATE("renegotiate", "TLSRenegotiate", Kind.WORDS),
    MASQUERADE_ADDRESS("masquerade-address", "TLSMasqueradeAddress", Kind.WORDS),
    NEXT_PROTOCOL("next-protocol", "TLSNextProtocol", Kind.WORDS),
    /** Typed: the pass phrase of encrypted PEM keys (mod_tls asks on the terminal or a provider program). */
    KEY_PASSWORD("key-password", "TLSRSACertificateKeyFile", Kind.KEY_PASSWORD),
    /** Typed: the server's name in start-up messages (ProFTPD's ServerName). */
    SERVER_NAME("server-name", "ServerName", Kind.SERVER_NAME);

    enum Kind {
        WORDS, ONE_VALUE, TLS13_WORDS, SESSION_CACHE_SIZE, KEY_PASSWORD, SERVER_NAME
    }

    private static final Map<String, TlsAttribute> BY_NAME = new LinkedHashMap<>();

    static {
        for (TlsAttribute a : values()) {
            BY_NAME.put(a.attribute, a);
        }
    }

    final String attribute;
    final String directive;
    final Kind kind;

    TlsAttribute(String attribute, String directive, Kind kind) {
        this.attribute = attribute;
        this.directive = directive;
        this.kind = kind;
    }

    static Optional<TlsAttribute> forName(String attribute) {
        return Optional.ofNullable(BY_NAME.get(attribute));
    }

    /** All attribute names, in the order they are applied. */
    static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The directive's arguments for this attribute's value. */
    String[] arguments(String value) {
        switch (kind) {
            case ONE_VALUE:
                return new String[] {value};
            case TLS13_WORDS:
                String[] words = words(value);
                String[] withPrefix = new String[words.length + 1];
                withPrefix[0] = "TLSv1.3";
                System.arraycopy(words, 0, withPrefix, 1, words.length);
                return withPrefix;
            default:
                return words(value);
        }
    }

    private static String[] words(String value) {
        String v = value.strip();
        return v.isEmpty() ? new String[0] : v.split("\\s+");
    }
}
