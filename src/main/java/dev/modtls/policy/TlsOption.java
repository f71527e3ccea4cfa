package dev.modtls.policy;

import java.util.Optional;

/** mod_tls's {@code TLSOptions} flags (spec §1.2), with their case-sensitive spellings. */
public enum TlsOption {
    ALLOW_CLIENT_RENEGOTIATIONS("AllowClientRenegotiations", "AllowClientRenegotiation"),
    ALLOW_DOT_LOGIN("AllowDotLogin"),
    ALLOW_PER_USER("AllowPerUser"),
    ALLOW_WEAK_DH("AllowWeakDH"),
    ALLOW_WEAK_SECURITY("AllowWeakSecurity"),
    COMMON_NAME_REQUIRED("CommonNameRequired"),
    DNS_NAME_REQUIRED("dNSNameRequired"),
    IP_ADDRESS_REQUIRED("iPAddressRequired"),
    ENABLE_DIAGS("EnableDiags"),
    EXPORT_CERT_DATA("ExportCertData"),
    IGNORE_SNI("IgnoreSNI"),
    NO_AUTO_ECDH("NoAutoECDH"),
    NO_EMPTY_FRAGMENTS("NoEmptyFragments"),
    NO_SESSION_REUSE_REQUIRED("NoSessionReuseRequired"),
    STD_ENV_VARS("StdEnvVars"),
    USE_IMPLICIT_SSL("UseImplicitSSL");

    private final String spelling;
    private final String alias;

    TlsOption(String spelling) {
        this(spelling, null);
    }

    TlsOption(String spelling, String alias) {
        this.spelling = spelling;
        this.alias = alias;
    }

    /** The name as mod_tls documents it, e.g. {@code NoSessionReuseRequired}. */
    public String spelling() {
        return spelling;
    }

    /** The option with this exact (case-sensitive) name or alias. */
    public static Optional<TlsOption> forName(String name) {
        for (TlsOption o : values()) {
            if (o.spelling.equals(name) || name.equals(o.alias)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return spelling;
    }
}
