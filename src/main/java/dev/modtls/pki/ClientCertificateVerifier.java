package dev.modtls.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Verifies a client's certificate chain the way OpenSSL does for mod_tls, and reports a failure with mod_tls's log
 * lines and OpenSSL's error texts. The JDK's PKIX validator reports neither the failing depth nor OpenSSL's error
 * codes, and cannot be told that an expired CRL revokes everything from its issuer, so the checks are made here,
 * in OpenSSL's order:
 * <ol>
 * <li>build the chain from the leaf through the presented certificates to a trusted, self-signed CA: a missing
 * issuer is "unable to get local issuer certificate", an untrusted self-signed certificate is "self-signed
 * certificate" (leaf) or "self-signed certificate in certificate chain"; more than TLSVerifyDepth intermediate CAs is
 * "certificate chain too long" at depth TLSVerifyDepth+1 (OpenSSL's {@code -verify_depth} semantics);</li>
 * <li>CA flags of the issuers ("invalid CA certificate") and the SSL-client purpose of the leaf;</li>
 * <li>revocation, in TLSVerifyOrder: CRLs (when configured, every certificate of the chain needs a CRL from its
 * issuer, as with OpenSSL's CRL_CHECK_ALL; an expired CRL rejects every certificate of its issuer) and OCSP (the
 * JDK's PKIXRevocationChecker against the responders named in each certificate's AuthorityInfoAccess);</li>
 * <li>signatures and validity periods from the root down ("certificate has expired").</li>
 * </ol>
 */
public final class ClientCertificateVerifier {

    /** The outcome: {@code error} is null when the chain verified. */
    public record Verdict(VerifyError error, int depth, List<X509Certificate> chain) {
        public boolean ok() {
            return error == null;
        }
    }

    /** Which purpose the leaf must allow: client certificates, or a server's (SSCN client mode). */
    public enum Purpose {
        SSL_CLIENT("1.3.6.1.5.5.7.3.2"), SSL_SERVER("1.3.6.1.5.5.7.3.1");

        private final String eku;

        Purpose(String eku) {
            this.eku = eku;
        }
    }

    private static final String ANY_EKU = "2.5.29.37.0";

    private final ClientTrust trust;

    public ClientCertificateVerifier(ClientTrust trust) {
        this.trust = trust;
    }

    public ClientTrust trust() {
        return trust;
    }

    /** Verifies a client chain (leaf first) now; failure lines go to {@code log}. */
    public Verdict verify(X509Certificate[] presented, Consumer<String> log) {
        return verify(presented, Purpose.SSL_CLIENT, new Date(), log);
    }

    /** Verifies a chain (leaf first) for a purpose at a time; mod_tls's lines go to {@code log}. */
    public Verdict verify(X509Certificate[] presented, Purpose purpose, Date now, Consumer<String> log) {
        if (presented == null || presented.length == 0) {
            throw new IllegalArgumentException("no certificate to verify");
        }
        List<X509Certificate> chain = new ArrayList<>();
        Failure f = buildChain(presented, chain);
        if (f == null) {
            f = checkExtensions(chain, purpose);
        }
        if (f == null) {
            for (RevocationMethod m : trust.spec().verifyOrder()) {
                f = m == RevocationMethod.CRL ? checkCrls(chain, now, log) : checkOcsp(chain, log);
                if (f != null) {
                    break;
                }
            }
        }
        if (f == null) {
            f = checkSignaturesAndTimes(chain, now);
        }
        if (f == null) {
            return new Verdict(null, -1, chain);
        }
        X509Certificate cert = f.depth < chain.size() ? chain.get(f.depth) : chain.get(chain.size() - 1);
        log.accept("error: unable to verify certificate at depth " + f.depth + ": " + f.error.text());
        log.accept("error: cert subject: " + OpenSslText.subject(cert));
        log.accept("error: cert issuer: " + OpenSslText.issuer(cert));
        VerifyError reported = f.depth > trust.spec().verifyDepth() ? VerifyError.CERT_CHAIN_TOO_LONG : f.error;
        log.accept(reported.logLine());
        return new Verdict(reported, f.depth, chain);
    }

    private record Failure(VerifyError error, int depth) {
    }

    private Failure buildChain(X509Certificate[] presented, List<X509Certificate> chain) {
        int maxDepth = trust.spec().verifyDepth() + 1;
        List<X509Certificate> pool = new ArrayList<>(List.of(presented).subList(1, presented.length));
        chain.add(presented[0]);
        while (true) {
            int depth = chain.size() - 1;
            X509Certificate cur = chain.get(depth);
            boolean trusted = trust.anchors().contains(cur);
            boolean selfSigned = selfSigned(cur);
            if (trusted && selfSigned) {
                return null;
            }
            X509Certificate issuer = selfSigned ? null : findIssuer(cur, trust.anchors());
            boolean fromAnchors = issuer != null;
            if (issuer == null && !selfSigned && !trusted) {
                issuer = findIssuer(cur, pool);
            }
            if (issuer == null) {
                if (selfSigned) {
                    return new Failure(depth == 0 ? VerifyError.DEPTH_ZERO_SELF_SIGNED_CERT
                            : VerifyError.SELF_SIGNED_CERT_IN_CHAIN, depth);
                }
                return new Failure(trusted ? VerifyError.UNABLE_TO_GET_ISSUER_CERT
                        : VerifyError.UNABLE_TO_GET_ISSUER_CERT_LOCALLY, depth);
            }
            if (chain.contains(issuer)) {
                return new Failure(VerifyError.UNABLE_TO_GET_ISSUER_CERT_LOCALLY, depth);
            }
            if (depth + 1 > maxDepth) {
                return new Failure(VerifyError.CERT_CHAIN_TOO_LONG, maxDepth);
            }
            chain.add(issuer);
            if (!fromAnchors) {
                pool.remove(issuer);
            }
        }
    }

    private static Failure checkExtensions(List<X509Certificate> chain, Purpose purpose) {
        for (int i = 1; i < chain.size(); i++) {
            if (chain.get(i).getBasicConstraints() < 0) {
                return new Failure(VerifyError.INVALID_CA, i);
            }
        }
        X509Certificate leaf = chain.get(0);
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(purpose.eku) && !eku.contains(ANY_EKU)) {
                return new Failure(VerifyError.INVALID_PURPOSE, 0);
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return new Failure(VerifyError.INVALID_PURPOSE, 0);
        }
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && !ku[0] && purpose == Purpose.SSL_CLIENT) {
            return new Failure(VerifyError.INVALID_PURPOSE, 0);
        }
        return null;
    }

    private Failure checkCrls(List<X509Certificate> chain, Date now, Consumer<String> log) {
        if (!trust.crlCheckingEnabled()) {
            return null;
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : cert;
            X509CRL crl = null;
            for (X509CRL c : trust.crls()) {
                if (c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                        && (crl == null || c.getThisUpdate().after(crl.getThisUpdate()))) {
                    crl = c;
                }
            }
            if (crl == null) {
                return new Failure(VerifyError.UNABLE_TO_GET_CRL, i);
            }
            log.accept("CRL: Issuer: " + OpenSslText.compat(crl.getIssuerX500Principal()) + ", lastUpdate: "
                    + OpenSslText.time(crl.getThisUpdate()) + ", nextUpdate: "
                    + (crl.getNextUpdate() == null ? "NONE" : OpenSslText.time(crl.getNextUpdate())));
            try {
                crl.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                log.accept("invalid signature on CRL: " + e.getMessage());
                return new Failure(VerifyError.CRL_SIGNATURE_FAILURE, i);
            }
            if (crl.getThisUpdate().after(now)) {
                log.accept("CRL is not yet valid, ignoring all certificates until an updated CRL is obtained");
                return new Failure(VerifyError.CRL_NOT_YET_VALID, i);
            }
            if (crl.getNextUpdate() != null && crl.getNextUpdate().before(now)) {
                log.accept("CRL is expired, revoking all certificates until an updated CRL is obtained");
                return new Failure(VerifyError.CRL_HAS_EXPIRED, i);
            }
            if (crl.getRevokedCertificate(cert) != null) {
                return new Failure(VerifyError.CERT_REVOKED, i);
            }
        }
        return null;
    }

    private Failure checkOcsp(List<X509Certificate> chain, Consumer<String> log) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            List<String> urls = ocspUrls(cert);
            String subject = OpenSslText.subject(cert);
            if (urls.isEmpty()) {
                log.accept("Client cert '" + subject
                        + "' contained no AuthorityInfoAccess attribute, unable to verify via OCSP");
                continue;
            }
            log.accept("found " + urls.size() + " OCSP " + (urls.size() == 1 ? "URL" : "URLs")
                    + " in AuthorityInfoAccess attribute for client cert '" + subject + "'");
            try {
                CertPathValidator validator = CertPathValidator.getInstance("PKIX");
                PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
                checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY,
                        PKIXRevocationChecker.Option.NO_FALLBACK));
                PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(chain.get(i + 1), null)));
                params.addCertPathChecker(checker);
                params.setRevocationEnabled(false);
                CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert));
                validator.validate(path, params);
            } catch (GeneralSecurityException e) {
                return new Failure(VerifyError.APPLICATION_VERIFICATION, i);
            }
        }
        return null;
    }

    private static Failure checkSignaturesAndTimes(List<X509Certificate> chain, Date now) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            X509Certificate cert = chain.get(i);
            if (i + 1 < chain.size()) {
                try {
                    cert.verify(chain.get(i + 1).getPublicKey());
                } catch (GeneralSecurityException e) {
                    return new Failure(VerifyError.CERT_SIGNATURE_FAILURE, i);
                }
            }
            if (cert.getNotBefore().after(now)) {
                return new Failure(VerifyError.CERT_NOT_YET_VALID, i);
            }
            if (cert.getNotAfter().before(now)) {
                return new Failure(VerifyError.CERT_HAS_EXPIRED, i);
            }
        }
        return null;
    }

    /** The OCSP responder URLs of a certificate's AuthorityInfoAccess extension. */
    static List<String> ocspUrls(X509Certificate cert) {
        List<String> urls = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return urls;
        }
        AuthorityInformationAccess aia = AuthorityInformationAccess
                .getInstance(ASN1OctetString.getInstance(ext).getOctets());
        for (AccessDescription d : aia.getAccessDescriptions()) {
            if (AccessDescription.id_ad_ocsp.equals(d.getAccessMethod())
                    && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                urls.add(d.getAccessLocation().getName().toString());
            }
        }
        return urls;
    }

    private static boolean selfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate findIssuer(X509Certificate cert, List<X509Certificate> candidates) {
        for (X509Certificate c : candidates) {
            if (c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                try {
                    cert.verify(c.getPublicKey());
                    return c;
                } catch (GeneralSecurityException e) {
                    // same name, other key: keep looking
                }
            }
        }
        return null;
    }
}
