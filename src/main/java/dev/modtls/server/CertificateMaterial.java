package dev.modtls.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

import dev.modtls.config.ConfigException;
import dev.modtls.config.TlsSettings;
import dev.modtls.log.TlsLog;
import dev.modtls.pki.ClientTrust;
import dev.modtls.pki.PassPhraseSource;
import dev.modtls.pki.ProviderPassPhraseSource;
import dev.modtls.pki.ServerCredentials;
import dev.modtls.pki.ServerCredentialsSpec;
import dev.modtls.pki.SwappableKeyManager;
import dev.modtls.pki.SwappableTrustManager;

/**
 * The certificate material of one listener's SSLContext: the server identities (TLSRSA/EC certificate and key files,
 * TLSPKCS12File, TLSCertificateChainFile, pass phrases from the settings or TLSPassPhraseProvider) and the client
 * trust (TLSCACertificateFile/Path, TLSCARevocationFile/Path, TLSVerifyDepth, TLSVerifyOrder), each behind a
 * swappable key or trust manager so that {@link MaterialReloader} can put renewed files into service without
 * replacing the context. Loading at start throws {@code ConfigException}s naming the directive; a reload that fails
 * throws the same and leaves the material in service untouched.
 */
final class CertificateMaterial {

    private final TlsSettings settings;
    private final String serverNameAndPort;
    private final ClientVerification verification;
    private final SwappableKeyManager keyManager;
    private final SwappableTrustManager trustManager;

    private CertificateMaterial(TlsSettings settings, String serverNameAndPort, ClientVerification verification,
            KeyManager[] keys, ClientTrust trust) {
        this.settings = settings;
        this.serverNameAndPort = serverNameAndPort;
        this.verification = verification;
        this.keyManager = new SwappableKeyManager(keys);
        this.trustManager = new SwappableTrustManager(verification.trustManager(trust));
    }

    /**
     * Loads everything once.
     *
     * @param port  the listener's port, for TLSPassPhraseProvider's {@code "<ServerName>:<Port>"} argument
     * @param lines receives mod_tls's informational start-up lines
     */
    static CertificateMaterial load(TlsSettings settings, int port, TlsLog log, Consumer<String> lines) {
        String nameAndPort = settings.serverName() + ":" + port;
        ClientVerification verification = new ClientVerification(settings, log);
        ServerCredentials credentials = loadCredentials(settings, nameAndPort, lines);
        ClientTrust trust = ClientTrust.load(ClientVerification.trustSpec(settings));
        return new CertificateMaterial(settings, nameAndPort, verification, credentials.keyManagers(), trust);
    }

    /**
     * Loads the server identities. A TLSPassPhraseProvider failure is reported as itself (naming that directive and
     * the program's failure), not as the key file error it causes.
     */
    private static ServerCredentials loadCredentials(TlsSettings s, String nameAndPort, Consumer<String> lines) {
        AtomicReference<ConfigException> providerFailure = new AtomicReference<>();
        try {
            return ServerCredentials.load(credentialsSpec(s, nameAndPort, providerFailure), lines);
        } catch (ConfigException e) {
            throw providerFailure.get() != null ? providerFailure.get() : e;
        }
    }

    private static ServerCredentialsSpec credentialsSpec(TlsSettings s, String nameAndPort,
            AtomicReference<ConfigException> providerFailure) {
        PassPhraseSource configured = (kind, file) -> {
            if ("PKCS12".equals(kind) && s.pkcs12Password().isPresent()) {
                return s.pkcs12Password().get();
            }
            return s.keyPassword().orElse(null);
        };
        PassPhraseSource passPhrases = configured;
        if (s.passPhraseProvider().isPresent()) {
            ProviderPassPhraseSource provider = new ProviderPassPhraseSource(s.passPhraseProvider().get(),
                    nameAndPort);
            passPhrases = (kind, file) -> {
                char[] own = configured.passPhrase(kind, file);
                if (own != null) {
                    return own;
                }
                try {
                    return provider.passPhrase(kind, file);
                } catch (ConfigException e) {
                    providerFailure.set(e);
                    throw e;
                }
            };
        }
        return new ServerCredentialsSpec(s.rsaCertificateFile().orElse(null), s.rsaCertificateKeyFile().orElse(null),
                s.ecCertificateFile().orElse(null), s.ecCertificateKeyFile().orElse(null),
                s.pkcs12File().orElse(null), s.certificateChainFile().orElse(null), passPhrases);
    }

    KeyManager[] keyManagers() {
        return new KeyManager[] {keyManager};
    }

    TrustManager[] trustManagers() {
        return new TrustManager[] {trustManager};
    }

    ClientVerification verification() {
        return verification;
    }

    /** The files (and directories) the server identities come from. */
    List<Path> credentialFiles() {
        List<Path> out = new ArrayList<>();
        settings.rsaCertificateFile().ifPresent(out::add);
        settings.rsaCertificateKeyFile().ifPresent(out::add);
        settings.ecCertificateFile().ifPresent(out::add);
        settings.ecCertificateKeyFile().ifPresent(out::add);
        settings.pkcs12File().ifPresent(out::add);
        settings.certificateChainFile().ifPresent(out::add);
        return out;
    }

    /** The files and directories the client trust comes from. */
    List<Path> trustFiles() {
        List<Path> out = new ArrayList<>();
        settings.caCertificateFile().ifPresent(out::add);
        settings.caCertificatePath().ifPresent(out::add);
        settings.caRevocationFile().ifPresent(out::add);
        settings.caRevocationPath().ifPresent(out::add);
        return out;
    }

    /**
     * Loads the server identities again and puts them into service; a TLSPassPhraseProvider is asked again (the new
     * key may have a new pass phrase).
     */
    void reloadCredentials(Consumer<String> lines) {
        ServerCredentials credentials = loadCredentials(settings, serverNameAndPort, lines);
        keyManager.replace(credentials.keyManagers());
    }

    /** Loads the CA certificates and CRLs again and puts them into service. */
    void reloadTrust() {
        trustManager.replace(verification.trustManager(ClientTrust.load(ClientVerification.trustSpec(settings))));
    }
}
