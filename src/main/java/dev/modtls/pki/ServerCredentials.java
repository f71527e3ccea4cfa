package dev.modtls.pki;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

import dev.modtls.config.ConfigException;

/**
 * The validated server identities of a listener: at most one RSA and one EC identity (as OpenSSL keeps one
 * certificate per key type in an SSL_CTX), loaded from PEM files or a PKCS#12 bundle, each with the
 * TLSCertificateChainFile certificates appended. The handshake picks the identity the client can use: the key
 * managers hold one alias per identity and JSSE asks them for a key of the type the negotiated suite or the client's
 * signature_algorithms need.
 *
 * <p>Every problem is a {@link ConfigException} naming the directive and the file, found once at start.
 */
public final class ServerCredentials {

    private static final String PKCS12_DIRECTIVE = "TLSPKCS12File";
    private static final String CHAIN_DIRECTIVE = "TLSCertificateChainFile";

    private final Map<KeyKind, ServerIdentity> identities;

    private ServerCredentials(Map<KeyKind, ServerIdentity> identities) {
        this.identities = Collections.unmodifiableMap(identities);
    }

    /**
     * Loads and checks everything the spec names.
     *
     * @param info receives mod_tls's informational lines, e.g. {@code added 2 certs from '/etc/chain.pem' to SSL_CTX
     *        certificate chain}
     * @throws ConfigException naming the directive and file of the first problem
     */
    public static ServerCredentials load(ServerCredentialsSpec spec, Consumer<String> info) {
        Map<KeyKind, ServerIdentity> ids = new EnumMap<>(KeyKind.class);
        for (KeyKind kind : KeyKind.values()) {
            ServerIdentity id = loadPem(spec, kind);
            if (id != null) {
                ids.put(kind, id);
            }
        }
        if (spec.pkcs12File() != null) {
            ServerIdentity id = loadPkcs12(spec.pkcs12File(), spec.passPhrases());
            ServerIdentity replaced = ids.put(id.kind(), id);
            if (replaced != null) {
                info.accept("TLSPKCS12File '" + spec.pkcs12File() + "' replaces the " + id.kind()
                        + " certificate from '" + replaced.source() + "'");
            }
        }
        if (spec.certificateChainFile() != null) {
            appendChain(ids, spec.certificateChainFile(), info);
        }
        return new ServerCredentials(ids);
    }

    /** The loaded identities, RSA before EC. */
    public List<ServerIdentity> identities() {
        return List.copyOf(identities.values());
    }

    /** The identity of a kind, or null. */
    public ServerIdentity identity(KeyKind kind) {
        return identities.get(kind);
    }

    /** True when no certificate is configured: mod_tls then refuses AUTH with 431. */
    public boolean isEmpty() {
        return identities.isEmpty();
    }

    /**
     * Key managers serving every identity: one key-store alias per identity ({@code rsa}, {@code ec}); the JDK's
     * "SunX509" key manager returns the alias whose key algorithm matches the key type the handshake asks for. It
     * reads all keys once at creation (the "PKIX" one decrypts the key-store entry on every handshake).
     */
    public KeyManager[] keyManagers() {
        try {
            char[] pw = new char[16];
            SecureRandom rnd = new SecureRandom();
            for (int i = 0; i < pw.length; i++) {
                pw[i] = (char) ('a' + rnd.nextInt(26));
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (ServerIdentity id : identities.values()) {
                ks.setKeyEntry(id.kind().name().toLowerCase(java.util.Locale.ROOT), id.privateKey(), pw,
                        id.chain().toArray(new Certificate[0]));
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(ks, pw);
            Arrays.fill(pw, '\0');
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK cannot build key managers", e);
        }
    }

    private static ServerIdentity loadPem(ServerCredentialsSpec spec, KeyKind kind) {
        Path certFile = spec.certificateFile(kind);
        Path keyFile = spec.keyFile(kind);
        if (certFile == null) {
            if (keyFile != null) {
                throw new ConfigException(kind.keyDirective(), "error checking key from " + kind.keyDirective() + " '"
                        + keyFile + "': no " + kind.certificateDirective() + " configured for this key");
            }
            return null;
        }
        List<X509Certificate> certs;
        try {
            certs = PemFiles.certificates(certFile);
        } catch (PkiException e) {
            if (!Files.exists(certFile)) {
                throw new ConfigException(kind.certificateDirective(), noCertificate(certFile), e);
            }
            throw new ConfigException(kind.certificateDirective(),
                    "error loading " + kind.certificateDirective() + " '" + certFile + "': " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new ConfigException(kind.certificateDirective(), noCertificate(certFile));
        }
        X509Certificate leaf = certs.get(0);
        KeyKind actual = KeyKind.ofAlgorithm(leaf.getPublicKey().getAlgorithm());
        if (actual != kind) {
            throw new ConfigException(kind.certificateDirective(), "'" + certFile + "' does not contain an "
                    + kind + " certificate (found " + leaf.getPublicKey().getAlgorithm() + ")");
        }
        Path keySource = keyFile != null ? keyFile : certFile;
        String keyDirective = keyFile != null ? kind.keyDirective() : kind.certificateDirective();
        PrivateKey key;
        try {
            key = PemFiles.privateKey(keySource, () -> spec.passPhrases().passPhrase(kind.name(), keySource));
        } catch (PkiException e) {
            throw new ConfigException(keyDirective, keyError(keyDirective, keySource, e.getMessage()), e);
        }
        if (key == null) {
            if (keyFile == null) {
                throw new ConfigException(kind.keyDirective(), "no " + kind.keyDirective() + " configured and '"
                        + certFile + "' contains no private key");
            }
            throw new ConfigException(keyDirective, keyError(keyDirective, keySource, "no private key found"));
        }
        if (!matches(key, leaf)) {
            throw new ConfigException(keyDirective, keyError(keyDirective, keySource,
                    "key values mismatch (not the key of the certificate in '" + certFile + "')"));
        }
        return new ServerIdentity(kind, certFile, key, certs);
    }

    private static ServerIdentity loadPkcs12(Path file, PassPhraseSource passPhrases) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            String reason;
            try {
                PemFiles.read(file);
                reason = String.valueOf(e.getMessage());
            } catch (PkiException p) {
                reason = p.getMessage();
            }
            throw new ConfigException(PKCS12_DIRECTIVE, pkcs12Error(file, reason), e);
        }
        char[] pw = passPhrases.passPhrase("PKCS12", file);
        boolean configured = pw != null;
        if (pw == null) {
            pw = new char[0];
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = new java.io.ByteArrayInputStream(data)) {
                ks.load(in, pw);
            } catch (IOException e) {
                if (hasCause(e, UnrecoverableKeyException.class)) {
                    throw new ConfigException(PKCS12_DIRECTIVE, pkcs12Error(file,
                            configured ? "wrong pass phrase" : "encrypted, but no pass phrase configured"), e);
                }
                throw new ConfigException(PKCS12_DIRECTIVE, pkcs12Error(file, "not a PKCS#12 file ("
                        + e.getMessage() + ")"), e);
            }
            for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements();) {
                String alias = aliases.nextElement();
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                PrivateKey key = (PrivateKey) ks.getKey(alias, pw);
                Certificate[] chain = ks.getCertificateChain(alias);
                if (chain == null || chain.length == 0) {
                    throw new ConfigException(PKCS12_DIRECTIVE, pkcs12Error(file, "no certificate for the key"));
                }
                List<X509Certificate> certs = new ArrayList<>();
                for (Certificate c : chain) {
                    certs.add((X509Certificate) c);
                }
                KeyKind kind = KeyKind.ofAlgorithm(key.getAlgorithm());
                if (kind == null) {
                    throw new ConfigException(PKCS12_DIRECTIVE,
                            pkcs12Error(file, "unsupported key type " + key.getAlgorithm()));
                }
                if (!matches(key, certs.get(0))) {
                    throw new ConfigException(PKCS12_DIRECTIVE, pkcs12Error(file, "key values mismatch"));
                }
                return new ServerIdentity(kind, file, key, certs);
            }
            throw new ConfigException(PKCS12_DIRECTIVE, pkcs12Error(file, "no private key found"));
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException(PKCS12_DIRECTIVE, pkcs12Error(file, "wrong pass phrase"), e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(PKCS12_DIRECTIVE, pkcs12Error(file, String.valueOf(e.getMessage())), e);
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    private static void appendChain(Map<KeyKind, ServerIdentity> ids, Path file, Consumer<String> info) {
        List<X509Certificate> certs;
        try {
            certs = PemFiles.certificates(file);
        } catch (PkiException e) {
            throw new ConfigException(CHAIN_DIRECTIVE, chainError(file, e.getMessage()), e);
        }
        if (certs.isEmpty()) {
            throw new ConfigException(CHAIN_DIRECTIVE, chainError(file, "file contained no certificate data"));
        }
        List<X509Certificate> leaves = new ArrayList<>();
        ids.values().forEach(id -> leaves.add(id.leaf()));
        List<X509Certificate> extra = new ArrayList<>();
        for (X509Certificate c : certs) {
            if (!leaves.contains(c) && !extra.contains(c)) {
                extra.add(c);
            }
        }
        for (Map.Entry<KeyKind, ServerIdentity> e : ids.entrySet()) {
            ServerIdentity id = e.getValue();
            List<X509Certificate> chain = new ArrayList<>(id.chain());
            for (X509Certificate c : extra) {
                if (!chain.contains(c)) {
                    chain.add(c);
                }
            }
            e.setValue(new ServerIdentity(id.kind(), id.source(), id.privateKey(), chain));
        }
        info.accept("added " + extra.size() + " certs from '" + file + "' to SSL_CTX certificate chain");
    }

    /** Whether the private key belongs to the certificate: a signature made with it verifies with the cert's key. */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        KeyKind kind = KeyKind.ofAlgorithm(key.getAlgorithm());
        if (kind == null || kind != KeyKind.ofAlgorithm(cert.getPublicKey().getAlgorithm())) {
            return false;
        }
        String alg = kind == KeyKind.RSA ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String noCertificate(Path file) {
        return "'" + file + "' does not exist or does not contain a certificate";
    }

    private static String keyError(String directive, Path file, String reason) {
        return "error checking key from " + directive + " '" + file + "': " + reason;
    }

    private static String pkcs12Error(Path file, String reason) {
        return "error loading " + PKCS12_DIRECTIVE + " '" + file + "': " + reason;
    }

    private static String chainError(Path file, String reason) {
        return "unable to read certificate chain '" + file + "': " + reason;
    }
}
