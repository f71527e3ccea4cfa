package dev.modtls.pki;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The server-identity directives of one listener, as paths (null = not configured): TLSRSACertificateFile and
 * TLSRSACertificateKeyFile, TLSECCertificateFile and TLSECCertificateKeyFile, TLSPKCS12File, TLSCertificateChainFile,
 * and where pass phrases come from. A null key file means "the key is in the certificate file", as in mod_tls.
 * Input to {@link ServerCredentials#load}; independent of the settings classes so that loading can be tested alone.
 */
public record ServerCredentialsSpec(Path rsaCertificateFile, Path rsaCertificateKeyFile, Path ecCertificateFile,
        Path ecCertificateKeyFile, Path pkcs12File, Path certificateChainFile, PassPhraseSource passPhrases) {

    public ServerCredentialsSpec {
        passPhrases = passPhrases == null ? PassPhraseSource.NONE : passPhrases;
    }

    /** Nothing configured. */
    public static ServerCredentialsSpec none() {
        return new ServerCredentialsSpec(null, null, null, null, null, null, PassPhraseSource.NONE);
    }

    /** TLSRSACertificateFile / TLSRSACertificateKeyFile (key file may be null). */
    public ServerCredentialsSpec withRsa(Path certificateFile, Path keyFile) {
        return new ServerCredentialsSpec(certificateFile, keyFile, ecCertificateFile, ecCertificateKeyFile, pkcs12File,
                certificateChainFile, passPhrases);
    }

    /** TLSECCertificateFile / TLSECCertificateKeyFile (key file may be null). */
    public ServerCredentialsSpec withEc(Path certificateFile, Path keyFile) {
        return new ServerCredentialsSpec(rsaCertificateFile, rsaCertificateKeyFile, certificateFile, keyFile,
                pkcs12File, certificateChainFile, passPhrases);
    }

    public ServerCredentialsSpec withPkcs12(Path file) {
        return new ServerCredentialsSpec(rsaCertificateFile, rsaCertificateKeyFile, ecCertificateFile,
                ecCertificateKeyFile, file, certificateChainFile, passPhrases);
    }

    public ServerCredentialsSpec withChain(Path file) {
        return new ServerCredentialsSpec(rsaCertificateFile, rsaCertificateKeyFile, ecCertificateFile,
                ecCertificateKeyFile, pkcs12File, file, passPhrases);
    }

    public ServerCredentialsSpec withPassPhrases(PassPhraseSource source) {
        return new ServerCredentialsSpec(rsaCertificateFile, rsaCertificateKeyFile, ecCertificateFile,
                ecCertificateKeyFile, pkcs12File, certificateChainFile, Objects.requireNonNull(source));
    }

    /** The certificate file configured for a kind (null when none). */
    public Path certificateFile(KeyKind kind) {
        return kind == KeyKind.RSA ? rsaCertificateFile : ecCertificateFile;
    }

    /** The key file configured for a kind (null when none). */
    public Path keyFile(KeyKind kind) {
        return kind == KeyKind.RSA ? rsaCertificateKeyFile : ecCertificateKeyFile;
    }

    /** Whether any server certificate is configured (mod_tls answers AUTH with 431 when none is). */
    public boolean hasAnyCertificate() {
        return rsaCertificateFile != null || ecCertificateFile != null || pkcs12File != null;
    }
}
