package dev.modtls.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import java.security.Provider;

import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the PEM files mod_tls reads: certificates (every one in a file, in order), private keys in every format
 * OpenSSL writes (PKCS#1 {@code RSA PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY} with or without a preceding
 * {@code EC PARAMETERS} block, PKCS#8 {@code PRIVATE KEY}, encrypted PKCS#8 {@code ENCRYPTED PRIVATE KEY}, and
 * OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED} PEM) and CRLs. The JDK reads none of these PEM forms itself, so
 * BouncyCastle's PEMParser does the parsing; the resulting keys are plain JCA keys of the JDK's own providers.
 */
public final class PemFiles {

    private PemFiles() {
    }

    /** Every certificate in the file, in file order (empty when there is none). Other PEM blocks are skipped. */
    public static List<X509Certificate> certificates(Path file) throws PkiException {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : objects(file)) {
            if (o instanceof X509CertificateHolder) {
                try {
                    certs.add(converter.getCertificate((X509CertificateHolder) o));
                } catch (CertificateException e) {
                    throw new PkiException("malformed certificate: " + e.getMessage(), e);
                }
            }
        }
        return certs;
    }

    /** Every CRL in the file, in file order (empty when there is none). */
    public static List<X509CRL> crls(Path file) throws PkiException {
        List<X509CRL> crls = new ArrayList<>();
        JcaX509CRLConverter converter = new JcaX509CRLConverter();
        for (Object o : objects(file)) {
            if (o instanceof X509CRLHolder) {
                try {
                    crls.add(converter.getCRL((X509CRLHolder) o));
                } catch (CRLException e) {
                    throw new PkiException("malformed CRL: " + e.getMessage(), e);
                }
            }
        }
        return crls;
    }

    /**
     * The first private key in the file, or null when the file holds none.
     *
     * @param passPhrase asked only when the key is encrypted; may return null (no pass phrase configured). The
     *        returned array is wiped after use.
     * @throws PkiException {@code "encrypted, but no pass phrase configured"}, {@code "wrong pass phrase"}, or an
     *         I/O or format reason
     */
    public static PrivateKey privateKey(Path file, Supplier<char[]> passPhrase) throws PkiException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        ASN1ObjectIdentifier curve = null;
        for (Object o : objects(file)) {
            try {
                if (o instanceof ASN1ObjectIdentifier) {
                    curve = (ASN1ObjectIdentifier) o; // an EC PARAMETERS block naming the curve of the next key
                    continue;
                }
                if (o instanceof PEMKeyPair) {
                    return converter.getPrivateKey(withCurve(((PEMKeyPair) o).getPrivateKeyInfo(), curve));
                }
                if (o instanceof PrivateKeyInfo) {
                    return converter.getPrivateKey((PrivateKeyInfo) o);
                }
                if (o instanceof PEMEncryptedKeyPair) {
                    char[] pw = required(passPhrase);
                    try {
                        PEMKeyPair pair = ((PEMEncryptedKeyPair) o).decryptKeyPair(
                                new JcePEMDecryptorProviderBuilder().setProvider(bc()).build(pw));
                        return converter.getPrivateKey(withCurve(pair.getPrivateKeyInfo(), curve));
                    } catch (IOException | RuntimeException e) {
                        throw new PkiException("wrong pass phrase", e);
                    } finally {
                        Arrays.fill(pw, '\0');
                    }
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    char[] pw = required(passPhrase);
                    try {
                        PrivateKeyInfo info = ((PKCS8EncryptedPrivateKeyInfo) o)
                                .decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bc()).build(pw));
                        return converter.getPrivateKey(info);
                    } catch (Exception e) {
                        throw new PkiException("wrong pass phrase", e);
                    } finally {
                        Arrays.fill(pw, '\0');
                    }
                }
            } catch (PkiException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new PkiException("malformed private key: " + e.getMessage(), e);
            }
        }
        return null;
    }

    /**
     * BouncyCastle's JCE provider, used only to decrypt key files: OpenSSL's legacy PEM key derivation and its
     * cipher names have no JDK provider. It is never registered with the JVM, so TLS keeps using the JDK's crypto.
     */
    static Provider bc() {
        return BcHolder.PROVIDER;
    }

    private static final class BcHolder {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    /** A SEC1 key without its own curve parameters takes them from a preceding EC PARAMETERS block. */
    private static PrivateKeyInfo withCurve(PrivateKeyInfo info, ASN1ObjectIdentifier curve) throws IOException {
        AlgorithmIdentifier alg = info.getPrivateKeyAlgorithm();
        if (curve == null || !X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
                || (alg.getParameters() != null && !(alg.getParameters() instanceof ASN1Null))) {
            return info;
        }
        return new PrivateKeyInfo(new AlgorithmIdentifier(alg.getAlgorithm(), curve), info.parsePrivateKey());
    }

    private static char[] required(Supplier<char[]> passPhrase) throws PkiException {
        char[] pw = passPhrase == null ? null : passPhrase.get();
        if (pw == null) {
            throw new PkiException("encrypted, but no pass phrase configured");
        }
        return pw;
    }

    /** All PEM objects of a file, parsed. Text outside PEM blocks is ignored, as OpenSSL ignores it. */
    private static List<Object> objects(Path file) throws PkiException {
        String text = read(file);
        List<Object> objects = new ArrayList<>();
        try (Reader r = new StringReader(text); PEMParser parser = new PEMParser(r)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new PkiException("malformed PEM data: " + e.getMessage(), e);
        }
        return objects;
    }

    /** The file's text; I/O failures read like the C library's strerror, as in mod_tls's messages. */
    static String read(Path file) throws PkiException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new PkiException("No such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new PkiException("Permission denied", e);
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new PkiException("Is a directory", e);
            }
            throw new PkiException(String.valueOf(e.getMessage()), e);
        }
    }
}
