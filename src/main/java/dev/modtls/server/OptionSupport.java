package dev.modtls.server;

import java.util.ArrayList;
import java.util.List;

import dev.modtls.config.ConfigException;
import dev.modtls.config.TlsSettings;
import dev.modtls.policy.TlsOption;

/**
 * What this build does with each TLSOption it parses: the rules of DECISIONS.md apply to options as to directives:
 * one that would change security in a way the JVM cannot give (or that is not built yet) stops the start with the
 * reason; one that has nothing to act on here is accepted with a start-up note. Nothing is ignored silently.
 */
final class OptionSupport {

    private OptionSupport() {
    }

    /**
     * @return start-up notes for the options accepted without effect
     * @throws ConfigException for an option this build refuses
     */
    static List<String> check(TlsSettings settings) {
        List<String> notes = new ArrayList<>();
        for (TlsOption option : settings.options()) {
            switch (option) {
            case USE_IMPLICIT_SSL:
                throw refuse(option, "implicit FTPS is not supported yet; use explicit FTPS (AUTH TLS)");
            case ALLOW_WEAK_SECURITY:
                throw refuse(option, "the JDK's TLS security limits are JVM-wide (jdk.tls.disabledAlgorithms and "
                        + "jdk.certpath.disabledAlgorithms in java.security); weaken them there if you must");
            case ALLOW_WEAK_DH:
                throw refuse(option, "DH group sizes are JVM-wide on the JDK (jdk.tls.ephemeralDHKeySize); set that "
                        + "system property instead");
            case NO_AUTO_ECDH:
                throw refuse(option, "the JDK's named groups are JVM-wide (jdk.tls.namedGroups); set that system "
                        + "property instead");
            case NO_EMPTY_FRAGMENTS:
                notes.add("TLSOptions NoEmptyFragments has no effect: it concerns SSLv3/TLSv1.0 CBC records, which "
                        + "the JDK does not negotiate by default");
                break;
            case IGNORE_SNI:
                notes.add("TLSOptions IgnoreSNI: this build never switches settings by SNI, so SNI is ignored anyway");
                break;
            case ENABLE_DIAGS:
                notes.add("TLSOptions EnableDiags: diagnostic [info]/[msg]/[stat] TLSLog lines are not written yet; "
                        + "use -Djavax.net.debug=ssl:handshake for the JDK's own trace");
                break;
            default:
                break;
            }
        }
        if (!settings.renegotiation().ctrlInterval().isZero() || settings.renegotiation().dataLimitBytes() > 0) {
            throw new ConfigException("TLSRenegotiate", "server-requested renegotiation is not supported yet; "
                    + "leave TLSRenegotiate unset (mod_tls's default since 1.3.8rc2: no renegotiation requested)");
        }
        if (settings.directiveLines().stream().anyMatch(line -> line.startsWith("TLSVerifyServer "))) {
            notes.add("TLSVerifyServer has no effect yet: it applies to SSCN client mode, which is not built yet");
        }
        return notes;
    }

    private static ConfigException refuse(TlsOption option, String why) {
        return new ConfigException("TLSOptions", option.spelling() + ": " + why);
    }
}
