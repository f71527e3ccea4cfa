package dev.modtls.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates a self-signed server certificate and its key as PEM files, for a first start without any certificate
 * (the embedded demo configuration). Never overwrites existing files: a deployment that already has its
 * certificates keeps them.
 */
public final class SelfSignedCertificates {

    /** The key algorithm of a generated certificate. */
    public enum KeyKind {
        RSA, EC
    }

    private static final Duration VALIDITY = Duration.ofDays(825);

    private SelfSignedCertificates() {
    }

    /**
     * Writes {@code certFile} (PEM certificate) and {@code keyFile} (PEM PKCS#8 key, owner-readable only where the
     * file system allows) unless both exist already.
     *
     * @return true when new files were written
     * @throws IOException when only one of the two files exists (a half-configured pair is an operator's mistake,
     *         never something to overwrite), or when writing fails
     */
    public static boolean ensure(Path certFile, Path keyFile, KeyKind kind, String commonName) throws IOException {
        boolean haveCert = Files.exists(certFile);
        boolean haveKey = Files.exists(keyFile);
        if (haveCert && haveKey) {
            return false;
        }
        if (haveCert || haveKey) {
            throw new IOException("refusing to generate a self-signed certificate: '" + (haveCert ? certFile : keyFile)
                    + "' exists but '" + (haveCert ? keyFile : certFile) + "' does not");
        }
        KeyPair pair = generateKeyPair(kind);
        X509Certificate cert = selfSign(pair, kind, commonName);
        writeAtomically(certFile, toPem(cert), false);
        writeAtomically(keyFile, toPem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()), true);
        return true;
    }

    /** A new key pair: RSA 2048 or EC P-256. */
    public static KeyPair generateKeyPair(KeyKind kind) {
        try {
            KeyPairGenerator gen;
            if (kind == KeyKind.RSA) {
                gen = KeyPairGenerator.getInstance("RSA");
                gen.initialize(2048, new SecureRandom());
            } else {
                gen = KeyPairGenerator.getInstance("EC");
                gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            }
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + kind + " keys", e);
        }
    }

    /** A self-signed server certificate for {@code commonName}, with that name and 127.0.0.1 as subject alt names. */
    public static X509Certificate selfSign(KeyPair pair, KeyKind kind, String commonName) {
        try {
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + commonName);
            BigInteger serial = new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject,
                    pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = kind == KeyKind.RSA ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                    : KeyUsage.digitalSignature;
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, commonName),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            String alg = kind == KeyKind.RSA ? "SHA256withRSA" : "SHA256withECDSA";
            ContentSigner signer = new JcaContentSignerBuilder(alg).build(pair.getPrivate());
            X509CertificateHolder holder = builder.build(signer);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a self-signed certificate", e);
        }
    }

    static String toPem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
        return out.toString();
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".tmp-", ".pem");
        try {
            if (secret) {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: keep the platform's default permissions
                }
            }
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
                w.write(content);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
