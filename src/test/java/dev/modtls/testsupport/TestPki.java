package dev.modtls.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import dev.modtls.pki.KeyKind;
import dev.modtls.pki.SelfSignedCertificates;

/**
 * A throw-away PKI for tests, generated at test time with BouncyCastle into a temporary directory (nothing is checked
 * in). Usage:
 *
 * <pre>{@code
 * TestPki pki = TestPki.create(tempDir);              // root CA -> intermediate CA (both EC P-256)
 * TestPki.Issued rsa = pki.server(KeyKind.RSA);        // SAN localhost + 127.0.0.1, issued by the intermediate
 * Path cert = rsa.certFile(), key = rsa.keyPkcs1();     // also keyPkcs8(), keyPkcs8Encrypted(pw), keySec1(),
 *                                                      // keySec1WithParameters(), keyLegacyEncrypted(pw),
 *                                                      // certAndKeyFile(), pkcs12(pw), chainFile()
 * TestPki.Issued alice = pki.client("alice").email("alice@example.org").ip("127.0.0.1").issue();
 * TestPki.Issued old = pki.client("old").expired().issue();
 * TestPki.Issued bad = pki.client("bad").issue(); pki.revoke(bad); Path crl = pki.crlFile(pki.intermediate());
 * TestPki.Issued stranger = pki.unknownCaClient("mallory");   // from a CA the server does not trust
 * TestPki.Issued deep = pki.deepClient("deep", 3);            // root -> intermediate -> 3 more CAs -> leaf
 * SSLContext c = pki.clientContext(alice);                      // trusts the root, presents alice (null: no cert)
 * }</pre>
 *
 * Files are written on first request, named after the certificate's label, and reused afterwards. Trust anchors for
 * servers: {@link #rootFile()} (TLSCACertificateFile) or {@link #caBundleFile()} (root and intermediate).
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffffffL);

    private final Path dir;
    private final Issued root;
    private final Issued intermediate;
    private final Map<KeyKind, Issued> servers = new HashMap<>();
    private final Map<Issued, List<BigInteger>> revoked = new LinkedHashMap<>();
    private final Map<String, Integer> labels = new HashMap<>();

    private TestPki(Path dir) {
        this.dir = dir;
        this.root = new CertSpec(this, "Test Root CA").ca().issuedBy(null).issue();
        this.intermediate = new CertSpec(this, "Test Intermediate CA").ca().issuedBy(root).issue();
    }

    /** A new PKI (root and intermediate CA) writing its files into {@code dir}. */
    public static TestPki create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestPki(dir);
    }

    public Path dir() {
        return dir;
    }

    public Issued root() {
        return root;
    }

    public Issued intermediate() {
        return intermediate;
    }

    /** The root certificate as a PEM file. */
    public Path rootFile() {
        return root.certFile();
    }

    /** Root and intermediate in one PEM file. */
    public Path caBundleFile() {
        return write("ca-bundle.pem", pem(root.cert) + pem(intermediate.cert));
    }

    /** The server certificate of a kind (one per kind, made on first use): CN/SAN localhost, SAN IP 127.0.0.1. */
    public synchronized Issued server(KeyKind kind) {
        return servers.computeIfAbsent(kind, k -> cert("localhost").kind(k).dns("localhost").ip("127.0.0.1")
                .serverAuth().label("server-" + k.name().toLowerCase()).issue());
    }

    /** A certificate for {@code commonName}, issued by the intermediate unless told otherwise; EC unless told. */
    public CertSpec cert(String commonName) {
        return new CertSpec(this, commonName).issuedBy(intermediate);
    }

    /** A client certificate (EKU clientAuth) for {@code commonName}, issued by the intermediate. */
    public CertSpec client(String commonName) {
        return cert(commonName).clientAuth();
    }

    /** A client certificate from a separate self-signed CA that this PKI's trust stores do not contain. */
    public Issued unknownCaClient(String commonName) {
        Issued otherRoot = new CertSpec(this, "Unknown Root CA").ca().issuedBy(null).issue();
        return client(commonName).issuedBy(otherRoot).issue();
    }

    /** A client issued below {@code extraCas} more CAs under the intermediate (chain depth = extraCas + 2). */
    public Issued deepClient(String commonName, int extraCas) {
        Issued issuer = intermediate;
        for (int i = 1; i <= extraCas; i++) {
            issuer = new CertSpec(this, "Test Sub CA " + i).ca().issuedBy(issuer).issue();
        }
        return client(commonName).issuedBy(issuer).issue();
    }

    /** Marks a certificate revoked in its issuer's next CRL. */
    public synchronized void revoke(Issued cert) {
        revoked.computeIfAbsent(cert.issuer, k -> new ArrayList<>()).add(cert.cert.getSerialNumber());
    }

    /** A current CRL of {@code issuer} listing what was revoked so far (next update in a day). */
    public X509CRL crl(Issued issuer) {
        return crl(issuer, false);
    }

    /** A CRL of {@code issuer}; when {@code expired}, its nextUpdate lies in the past. */
    public synchronized X509CRL crl(Issued issuer, boolean expired) {
        try {
            Instant now = Instant.now();
            Instant thisUpdate = expired ? now.minus(Duration.ofDays(2)) : now.minus(Duration.ofMinutes(5));
            Instant nextUpdate = expired ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofDays(1));
            X509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer.cert, Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            for (BigInteger serial : revoked.getOrDefault(issuer, List.of())) {
                b.addCRLEntry(serial, Date.from(now.minus(Duration.ofMinutes(1))), CRLReason.keyCompromise);
            }
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.cert));
            b.addExtension(Extension.cRLNumber, false,
                    new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.valueOf(SERIAL.incrementAndGet())));
            return new JcaX509CRLConverter().getCRL(b.build(signer(issuer.keyPair.getPrivate())));
        } catch (IOException | GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #crl(Issued)} as a PEM file. */
    public Path crlFile(Issued issuer) {
        return write(issuer.label + "-" + SERIAL.incrementAndGet() + ".crl", pem(crl(issuer)));
    }

    /** An expired CRL of {@code issuer} as a PEM file. */
    public Path expiredCrlFile(Issued issuer) {
        return write(issuer.label + "-expired-" + SERIAL.incrementAndGet() + ".crl", pem(crl(issuer, true)));
    }

    /** A file of arbitrary text in the PKI's directory. */
    public Path write(String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, content.getBytes(StandardCharsets.ISO_8859_1));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A trust store holding the root only. */
    public KeyStore trustStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("root", root.cert);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDK trust manager trusting the root (for Commons Net's {@code FTPSClient.setTrustManager}). */
    public X509TrustManager trustManager() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trustStore());
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A key manager that always presents {@code cert} with its chain, whatever CA names the server sends (as curl and
     * OpenSSL clients do; the JDK's own key managers would withhold a certificate from an unlisted CA). For Commons
     * Net's {@code FTPSClient.setKeyManager}.
     */
    public KeyManager keyManager(Issued cert) {
        X509Certificate[] chain = cert.chain().toArray(new X509Certificate[0]);
        return new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return new String[] {"client"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers,
                    java.net.Socket socket) {
                return "client";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
                    javax.net.ssl.SSLEngine engine) {
                return "client";
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers,
                    java.net.Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return chain.clone();
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return cert.key();
            }
        };
    }

    /** A client context (SunJSSE) trusting the root and presenting {@code clientCert} unless null. */
    public SSLContext clientContext(Issued clientCert) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
            ctx.init(clientCert == null ? null : new KeyManager[] {keyManager(clientCert)},
                    new javax.net.ssl.TrustManager[] {trustManager()}, RANDOM);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(Object o) {
        try {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(out)) {
                w.writeObject(o);
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) throws org.bouncycastle.operator.OperatorCreationException {
        String alg = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaContentSignerBuilder(alg).build(key);
    }

    private synchronized String uniqueLabel(String base) {
        String clean = base.replaceAll("[^A-Za-z0-9._-]", "_");
        int n = labels.merge(clean, 1, Integer::sum);
        return n == 1 ? clean : clean + "-" + n;
    }

    /** Fluent description of a certificate to issue. */
    public static final class CertSpec {
        private final TestPki pki;
        private final String commonName;
        private X500Name subject;
        private KeyKind kind = KeyKind.EC;
        private Issued issuer;
        private boolean ca;
        private boolean expired;
        private boolean serverAuth;
        private boolean clientAuth;
        private String label;
        private final List<GeneralName> sans = new ArrayList<>();
        private final Map<ASN1ObjectIdentifier, ASN1Encodable> extensions = new LinkedHashMap<>();

        CertSpec(TestPki pki, String commonName) {
            this.pki = pki;
            this.commonName = commonName;
        }

        public CertSpec kind(KeyKind k) {
            this.kind = k;
            return this;
        }

        /** The issuing CA; null = self-signed. */
        public CertSpec issuedBy(Issued ca) {
            this.issuer = ca;
            return this;
        }

        /** A whole subject DN instead of {@code CN=<commonName>}, e.g. {@code "CN=client,O=Example"}. */
        public CertSpec subject(String dn) {
            this.subject = new X500Name(dn);
            return this;
        }

        public CertSpec subject(X500Name dn) {
            this.subject = dn;
            return this;
        }

        public CertSpec dns(String name) {
            sans.add(new GeneralName(GeneralName.dNSName, name));
            return this;
        }

        public CertSpec ip(String address) {
            sans.add(new GeneralName(GeneralName.iPAddress, address));
            return this;
        }

        public CertSpec email(String address) {
            sans.add(new GeneralName(GeneralName.rfc822Name, address));
            return this;
        }

        /** Any extra SAN entry (e.g. a dNSName with an embedded NUL built from a raw DERIA5String). */
        public CertSpec san(GeneralName name) {
            sans.add(name);
            return this;
        }

        /** A non-critical extension with the given OID and value (for TLSUserName with an OID). */
        public CertSpec extension(String oid, ASN1Encodable value) {
            extensions.put(new ASN1ObjectIdentifier(oid), value);
            return this;
        }

        /** An AuthorityInfoAccess extension naming an OCSP responder. */
        public CertSpec ocsp(String url) {
            return extension(Extension.authorityInfoAccess.getId(), new org.bouncycastle.asn1.x509
                    .AuthorityInformationAccess(org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp,
                            new GeneralName(GeneralName.uniformResourceIdentifier, url)));
        }

        /** Valid from two days ago until yesterday. */
        public CertSpec expired() {
            this.expired = true;
            return this;
        }

        public CertSpec ca() {
            this.ca = true;
            return this;
        }

        public CertSpec serverAuth() {
            this.serverAuth = true;
            return this;
        }

        public CertSpec clientAuth() {
            this.clientAuth = true;
            return this;
        }

        /** The base name of this certificate's files. */
        public CertSpec label(String l) {
            this.label = l;
            return this;
        }

        public Issued issue() {
            try {
                KeyPair pair = SelfSignedCertificates.generateKeyPair(
                        kind == KeyKind.RSA ? SelfSignedCertificates.KeyKind.RSA : SelfSignedCertificates.KeyKind.EC);
                X500Name name = subject != null ? subject : new X500Name("CN=" + commonName);
                X500Name issuerName = issuer == null ? name
                        : X500Name.getInstance(issuer.cert.getSubjectX500Principal().getEncoded());
                PrivateKey signingKey = issuer == null ? pair.getPrivate() : issuer.keyPair.getPrivate();
                Instant now = Instant.now();
                Instant from = expired ? now.minus(Duration.ofDays(2)) : now.minus(Duration.ofMinutes(5));
                Instant to = expired ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofDays(ca ? 3650 : 365));
                JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), name,
                        pair.getPublic());
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                b.addExtension(Extension.subjectKeyIdentifier, false,
                        utils.createSubjectKeyIdentifier(pair.getPublic()));
                if (issuer != null) {
                    b.addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(issuer.cert));
                }
                if (ca) {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    b.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
                } else {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    int usage = kind == KeyKind.RSA ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                            : KeyUsage.digitalSignature;
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                    List<KeyPurposeId> purposes = new ArrayList<>();
                    if (serverAuth) {
                        purposes.add(KeyPurposeId.id_kp_serverAuth);
                    }
                    if (clientAuth) {
                        purposes.add(KeyPurposeId.id_kp_clientAuth);
                    }
                    if (!purposes.isEmpty()) {
                        b.addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
                    }
                }
                if (!sans.isEmpty()) {
                    b.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(sans.toArray(new GeneralName[0])));
                }
                for (Map.Entry<ASN1ObjectIdentifier, ASN1Encodable> e : extensions.entrySet()) {
                    b.addExtension(e.getKey(), false, e.getValue());
                }
                X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(signingKey)));
                return new Issued(pki, pki.uniqueLabel(label != null ? label : commonName), cert, pair, kind,
                        issuer);
            } catch (IOException | GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
                throw new IllegalStateException("cannot issue a test certificate", e);
            }
        }
    }

    /** An issued certificate with its key, and its files in every format mod_tls reads. */
    public static final class Issued {
        private final TestPki pki;
        private final String label;
        private final X509Certificate cert;
        private final KeyPair keyPair;
        private final KeyKind kind;
        private final Issued issuer;
        private final Map<String, Path> files = new HashMap<>();

        Issued(TestPki pki, String label, X509Certificate cert, KeyPair keyPair, KeyKind kind, Issued issuer) {
            this.pki = pki;
            this.label = label;
            this.cert = cert;
            this.keyPair = keyPair;
            this.kind = kind;
            this.issuer = issuer;
        }

        public X509Certificate cert() {
            return cert;
        }

        public PrivateKey key() {
            return keyPair.getPrivate();
        }

        public KeyPair keyPair() {
            return keyPair;
        }

        public KeyKind kind() {
            return kind;
        }

        public Issued issuer() {
            return issuer;
        }

        public String label() {
            return label;
        }

        /** This certificate and its issuers up to, but without, the self-signed root. */
        public List<X509Certificate> chain() {
            List<X509Certificate> chain = new ArrayList<>();
            for (Issued i = this; i != null; i = i.issuer) {
                if (i.issuer != null || i == this) {
                    chain.add(i.cert);
                }
            }
            return chain;
        }

        /** The certificate alone, PEM. */
        public Path certFile() {
            return file(label + ".crt", () -> pem(cert));
        }

        /** The issuers of this certificate, without itself and without the root, PEM (TLSCertificateChainFile). */
        public Path chainFile() {
            return file(label + "-chain.pem", () -> {
                StringBuilder sb = new StringBuilder();
                List<X509Certificate> chain = chain();
                for (X509Certificate c : chain.subList(1, chain.size())) {
                    sb.append(pem(c));
                }
                return sb.toString();
            });
        }

        /** Certificate and its issuers below the root, PEM (the usual "fullchain" file). */
        public Path fullChainFile() {
            return file(label + "-fullchain.pem", () -> {
                StringBuilder sb = new StringBuilder();
                chain().forEach(c -> sb.append(pem(c)));
                return sb.toString();
            });
        }

        /** Certificate followed by its unencrypted key in one file (mod_tls: key in the certificate file). */
        public Path certAndKeyFile() {
            return file(label + "-with-key.pem", () -> pem(cert) + pem(opensslKeyInfo()));
        }

        /** RSA: PKCS#1 {@code RSA PRIVATE KEY}; EC: SEC1 {@code EC PRIVATE KEY} (BouncyCastle's traditional form). */
        public Path keyTraditional() {
            return file(label + ".trad.key", () -> pem(opensslKeyInfo()));
        }

        /** PKCS#1 {@code RSA PRIVATE KEY}; RSA only. */
        public Path keyPkcs1() {
            if (kind != KeyKind.RSA) {
                throw new IllegalStateException("PKCS#1 is an RSA key format");
            }
            return keyTraditional();
        }

        /** SEC1 {@code EC PRIVATE KEY} with the curve inside; EC only. */
        public Path keySec1() {
            if (kind != KeyKind.EC) {
                throw new IllegalStateException("SEC1 is an EC key format");
            }
            return keyTraditional();
        }

        /**
         * As {@code openssl ecparam -genkey} writes it: an {@code EC PARAMETERS} block, then a SEC1 key; EC only.
         */
        public Path keySec1WithParameters() {
            return file(label + ".sec1params.key", () -> ecParametersPem() + pem(opensslKeyInfo()));
        }

        /** An {@code EC PARAMETERS} block, then a SEC1 key without a curve of its own; EC only. */
        public Path keySec1CurveOnlyInParameters() {
            return file(label + ".sec1nocurve.key", () -> {
                try {
                    ECPrivateKey full = ECPrivateKey.getInstance(opensslKeyInfo().parsePrivateKey());
                    java.security.interfaces.ECPrivateKey k = (java.security.interfaces.ECPrivateKey) key();
                    ECPrivateKey bare = new ECPrivateKey(k.getParams().getOrder().bitLength(), k.getS(),
                            full.getPublicKey(), null);
                    return ecParametersPem() + pem(new PemObject("EC PRIVATE KEY", bare.getEncoded()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        private String ecParametersPem() {
            if (kind != KeyKind.EC) {
                throw new IllegalStateException("SEC1 is an EC key format");
            }
            try {
                AlgorithmIdentifier alg = PrivateKeyInfo.getInstance(key().getEncoded()).getPrivateKeyAlgorithm();
                return pem(new PemObject("EC PARAMETERS", alg.getParameters().toASN1Primitive().getEncoded()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * The key as OpenSSL encodes it. The JDK's PKCS#8 encoding of an EC key leaves the curve and the public key
         * out of the inner SEC1 structure, so a SEC1 file written from it would name no curve; OpenSSL's has both.
         */
        private PrivateKeyInfo opensslKeyInfo() {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key().getEncoded());
            if (kind != KeyKind.EC) {
                return info;
            }
            try {
                java.security.interfaces.ECPrivateKey k = (java.security.interfaces.ECPrivateKey) key();
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
                        .getInstance(keyPair.getPublic().getEncoded());
                ECPrivateKey sec1 = new ECPrivateKey(k.getParams().getOrder().bitLength(), k.getS(),
                        new org.bouncycastle.asn1.DERBitString(spki.getPublicKeyData().getBytes()),
                        info.getPrivateKeyAlgorithm().getParameters());
                return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), sec1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** PKCS#8 {@code PRIVATE KEY}. */
        public Path keyPkcs8() {
            return file(label + ".pk8.key", () -> {
                try {
                    return pem(new JcaPKCS8Generator(keyPair.getPrivate(), null).generate());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        /** PKCS#8 {@code ENCRYPTED PRIVATE KEY} (PBES2, AES-256-CBC), as {@code openssl pkcs8 -topk8} writes. */
        public Path keyPkcs8Encrypted(String passPhrase) {
            return file(label + ".pk8enc-" + passPhrase.hashCode() + ".key", () -> {
                try {
                    return pem(new JcaPKCS8Generator(keyPair.getPrivate(),
                            new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(BC).setRandom(RANDOM)
                                    .setPassword(passPhrase.toCharArray()).build()).generate());
                } catch (IOException | org.bouncycastle.operator.OperatorCreationException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** OpenSSL's legacy encrypted PEM ({@code Proc-Type: 4,ENCRYPTED}, AES-256-CBC), as {@code genrsa -aes256}. */
        public Path keyLegacyEncrypted(String passPhrase) {
            return file(label + ".legacyenc-" + passPhrase.hashCode() + ".key", () -> {
                try {
                    StringWriter out = new StringWriter();
                    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
                        w.writeObject(opensslKeyInfo(), new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC)
                                .setSecureRandom(RANDOM).build(passPhrase.toCharArray()));
                    }
                    return out.toString();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        /** A PKCS#12 file (key, certificate and chain below the root) protected by {@code password}. */
        public Path pkcs12(String password) {
            return file(label + "-" + password.hashCode() + ".p12", null, () -> {
                try (OutputStream out = Files.newOutputStream(pki.dir.resolve(label + "-" + password.hashCode()
                        + ".p12"))) {
                    keyStore(password.toCharArray()).store(out, password.toCharArray());
                } catch (IOException | GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** An in-memory PKCS#12 key store with this key and chain under alias {@code key}. */
        public KeyStore keyStore(char[] password) {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("key", keyPair.getPrivate(), password, chain().toArray(new Certificate[0]));
                return ks;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private Path file(String name, java.util.function.Supplier<String> content) {
            return file(name, content, null);
        }

        private synchronized Path file(String name, java.util.function.Supplier<String> content, Runnable writer) {
            return files.computeIfAbsent(name, n -> {
                if (writer != null) {
                    writer.run();
                    return pki.dir.resolve(n);
                }
                return pki.write(n, content.get());
            });
        }

        @Override
        public String toString() {
            return label + " (" + cert.getSubjectX500Principal() + ")";
        }
    }

    /** Encodes bytes as an OCTET STRING (handy for {@link CertSpec#extension}). */
    public static ASN1Encodable octets(byte[] b) {
        return new DEROctetString(b);
    }
}
