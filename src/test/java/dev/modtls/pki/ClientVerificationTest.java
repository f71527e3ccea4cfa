package dev.modtls.pki;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.config.ConfigException;
import dev.modtls.testsupport.Handshakes;
import dev.modtls.testsupport.TestPki;

/** Client-certificate verification through real TLS 1.2 and 1.3 handshakes, with mod_tls's log lines. */
public class ClientVerificationTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

    private static TestPki pki;
    private static ServerCredentials server;
    private static TestPki.Issued alice;

    @BeforeClass
    public static void makePki() throws Exception {
        pki = TestPki.create(tmp.newFolder("pki").toPath());
        TestPki.Issued rsa = pki.server(KeyKind.RSA);
        server = ServerCredentials.load(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs1())
                .withChain(pki.intermediate().certFile()), m -> { });
        alice = pki.client("alice").subject("CN=alice,O=Example").issue();
    }

    /** Runs one handshake per protocol; returns the log lines of the last one, asserts the outcome of each. */
    private static List<String> handshake(ClientTrustSpec spec, ClientAuthMode mode, TestPki.Issued client,
            boolean expectOk) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String protocol : PROTOCOLS) {
            lines.clear();
            List<String> log = Collections.synchronizedList(lines);
            VerifyingTrustManager tm = new VerifyingTrustManager(
                    new ClientCertificateVerifier(ClientTrust.load(spec)), (engine, m) -> log.add(m));
            SSLContext ctx = TlsContextFactory.create(server.keyManagers(), new TrustManager[] {tm}, 100, 300);
            Handshakes.Result r = Handshakes.run(ctx, (SSLServerSocket ss) -> {
                if (mode == ClientAuthMode.NEED) {
                    ss.setNeedClientAuth(true);
                } else {
                    ss.setWantClientAuth(mode == ClientAuthMode.WANT);
                }
            }, pki.clientContext(client), s -> s.setEnabledProtocols(new String[] {protocol}));
            assertEquals(protocol + " " + r + " " + lines, expectOk, r.ok());
            if (expectOk && client != null && mode != ClientAuthMode.NONE) {
                assertEquals(client.cert(), r.serverSession.getPeerCertificates()[0]);
            }
        }
        return new ArrayList<>(lines);
    }

    private static ClientTrustSpec rootTrust() {
        return ClientTrustSpec.ofCaFile(pki.rootFile());
    }

    private static List<String> failure(int depth, String reason, X509Certificate cert, String last) {
        return List.of("error: unable to verify certificate at depth " + depth + ": " + reason,
                "error: cert subject: " + OpenSslText.subject(cert), "error: cert issuer: " + OpenSslText.issuer(cert),
                last);
    }

    @Test
    public void validClientIsAccepted() throws Exception {
        assertEquals(List.of(), handshake(rootTrust(), ClientAuthMode.NEED, alice, true));
        assertEquals(List.of(), handshake(rootTrust(), ClientAuthMode.WANT, alice, true));
    }

    @Test
    public void optionalWithoutCertificateIsFineRequiredIsNot() throws Exception {
        assertEquals(List.of(), handshake(rootTrust(), ClientAuthMode.WANT, null, true));
        assertEquals(List.of(), handshake(rootTrust(), ClientAuthMode.NEED, null, false));
    }

    @Test
    public void expiredClient() throws Exception {
        TestPki.Issued old = pki.client("old").expired().issue();
        assertEquals(failure(0, "certificate has expired", old.cert(),
                "client certificate failed verification: certificate has expired"),
                handshake(rootTrust(), ClientAuthMode.WANT, old, false));
    }

    @Test
    public void unknownCa() throws Exception {
        TestPki.Issued stranger = pki.unknownCaClient("mallory");
        assertEquals(failure(0, "unable to get local issuer certificate", stranger.cert(),
                "client certificate failed verification: unable to get local issuer certificate"),
                handshake(rootTrust(), ClientAuthMode.NEED, stranger, false));
    }

    @Test
    public void chainTooLong() throws Exception {
        TestPki.Issued deep = pki.deepClient("deep", 3); // leaf, 3 sub CAs, intermediate, root: 4 intermediates
        List<X509Certificate> chain = deep.chain();
        assertEquals(failure(3, "certificate chain too long", chain.get(3),
                "client certificate failed verification: certificate chain too long"),
                handshake(rootTrust().withVerifyDepth(2), ClientAuthMode.NEED, deep, false));
        assertEquals(List.of(), handshake(rootTrust().withVerifyDepth(4), ClientAuthMode.NEED, deep, true));
        assertEquals(List.of(), handshake(rootTrust(), ClientAuthMode.NEED, deep, true));
    }

    @Test
    public void revokedClient() throws Exception {
        TestPki.Issued bad = pki.client("bad").issue();
        pki.revoke(bad);
        Path crls = pki.write("revoked-crls.pem", Files.readString(pki.crlFile(pki.intermediate()))
                + Files.readString(pki.crlFile(pki.root())));
        List<String> lines = handshake(rootTrust().withRevocationFile(crls), ClientAuthMode.NEED, bad, false);
        assertEquals(failure(0, "certificate revoked", bad.cert(),
                "client certificate failed verification: certificate revoked"),
                lines.subList(lines.size() - 4, lines.size()));
        assertTrue(lines.get(0), lines.get(0).startsWith("CRL: Issuer: CN=Test Intermediate CA, lastUpdate: "));
        // others from the same CA still pass, and each CRL consulted is logged
        List<String> ok = handshake(rootTrust().withRevocationFile(crls), ClientAuthMode.NEED, alice, true);
        assertEquals(3, ok.size());
        assertTrue(ok.get(2), ok.get(2).startsWith("CRL: Issuer: CN=Test Root CA, lastUpdate: "));
    }

    @Test
    public void revocationPathWorksLikeFile() throws Exception {
        TestPki.Issued bad = pki.client("bad-dir").issue();
        pki.revoke(bad);
        Path dir = tmp.newFolder("crl-dir").toPath();
        Files.copy(pki.crlFile(pki.intermediate()), dir.resolve("a.r0"));
        Files.copy(pki.crlFile(pki.root()), dir.resolve("b.r0"));
        List<String> lines = handshake(rootTrust().withRevocationPath(dir), ClientAuthMode.NEED, bad, false);
        assertEquals("client certificate failed verification: certificate revoked", lines.get(lines.size() - 1));
    }

    @Test
    public void missingCrlForAnIssuer() throws Exception {
        List<String> lines = handshake(rootTrust().withRevocationFile(pki.crlFile(pki.intermediate())),
                ClientAuthMode.NEED, alice, false);
        assertEquals(failure(1, "unable to get certificate CRL", pki.intermediate().cert(),
                "error verifying client certificate: [3] unable to get certificate CRL"),
                lines.subList(lines.size() - 4, lines.size()));
    }

    @Test
    public void expiredCrlRejectsEveryoneFromThatIssuer() throws Exception {
        Path crls = pki.write("expired-crls.pem", Files.readString(pki.expiredCrlFile(pki.intermediate()))
                + Files.readString(pki.crlFile(pki.root())));
        List<String> lines = handshake(rootTrust().withRevocationFile(crls), ClientAuthMode.NEED, alice, false);
        assertEquals("CRL is expired, revoking all certificates until an updated CRL is obtained", lines.get(1));
        assertEquals(failure(0, "CRL has expired", alice.cert(),
                "error verifying client certificate: [12] CRL has expired"), lines.subList(2, 6));
    }

    @Test
    public void ocspWithoutAiaPassesWithResponderFailureRejects() throws Exception {
        ClientTrustSpec ocsp = rootTrust().withVerifyOrder(List.of(RevocationMethod.OCSP));
        List<String> lines = handshake(ocsp, ClientAuthMode.NEED, alice, true);
        assertEquals(List.of("Client cert 'CN = alice, O = Example' contained no AuthorityInfoAccess attribute, "
                + "unable to verify via OCSP", "Client cert 'CN = Test Intermediate CA' contained no "
                + "AuthorityInfoAccess attribute, unable to verify via OCSP"), lines);
        TestPki.Issued withAia = pki.client("aia").ocsp("http://127.0.0.1:1/ocsp").issue();
        lines = handshake(ocsp, ClientAuthMode.NEED, withAia, false);
        assertEquals("found 1 OCSP URL in AuthorityInfoAccess attribute for client cert 'CN = aia'", lines.get(0));
        assertEquals(failure(0, "application verification failure", withAia.cert(),
                "client certificate failed verification: application verification failure"), lines.subList(1, 5));
    }

    @Test
    public void selfSignedLeafAndSelfSignedInChain() {
        ClientCertificateVerifier v = new ClientCertificateVerifier(ClientTrust.load(rootTrust()));
        TestPki.Issued self = pki.cert("selfie").clientAuth().issuedBy(null).issue();
        List<String> lines = new ArrayList<>();
        ClientCertificateVerifier.Verdict verdict = v.verify(new X509Certificate[] {self.cert()}, lines::add);
        assertEquals(VerifyError.DEPTH_ZERO_SELF_SIGNED_CERT, verdict.error());
        assertEquals("client certificate failed verification: self-signed certificate", lines.get(3));

        TestPki.Issued otherRoot = pki.cert("Other Root").ca().issuedBy(null).issue();
        TestPki.Issued leaf = pki.client("leaf").issuedBy(otherRoot).issue();
        lines.clear();
        verdict = v.verify(new X509Certificate[] {leaf.cert(), otherRoot.cert()}, lines::add);
        assertEquals(VerifyError.SELF_SIGNED_CERT_IN_CHAIN, verdict.error());
        assertEquals(1, verdict.depth());
        assertEquals(failure(1, "self-signed certificate in certificate chain", otherRoot.cert(),
                "client certificate failed verification: self-signed certificate in certificate chain"), lines);
    }

    @Test
    public void wrongPurposeAndNotACa() {
        ClientCertificateVerifier v = new ClientCertificateVerifier(ClientTrust.load(rootTrust()));
        List<String> lines = new ArrayList<>();
        ClientCertificateVerifier.Verdict verdict = v.verify(pki.server(KeyKind.EC).chain()
                .toArray(new X509Certificate[0]), lines::add);
        assertEquals(VerifyError.INVALID_PURPOSE, verdict.error());
        assertEquals("client certificate failed verification: unsupported certificate purpose", lines.get(3));
        TestPki.Issued notCa = pki.cert("not a CA").issue();
        TestPki.Issued below = pki.client("below").issuedBy(notCa).issue();
        lines.clear();
        verdict = v.verify(new X509Certificate[] {below.cert(), notCa.cert(), pki.intermediate().cert()},
                lines::add);
        assertEquals(VerifyError.INVALID_CA, verdict.error());
        assertEquals("error verifying client certificate: [24] invalid CA certificate", lines.get(3));
    }

    @Test
    public void depthZeroAllowsOnlyDirectlyIssuedClients() {
        TestPki.Issued direct = pki.client("direct").issuedBy(pki.root()).issue();
        ClientCertificateVerifier v = new ClientCertificateVerifier(
                ClientTrust.load(rootTrust().withVerifyDepth(0)));
        List<String> lines = new ArrayList<>();
        assertTrue(v.verify(new X509Certificate[] {direct.cert()}, lines::add).ok());
        ClientCertificateVerifier.Verdict verdict = v.verify(alice.chain().toArray(new X509Certificate[0]),
                lines::add);
        assertEquals(VerifyError.CERT_CHAIN_TOO_LONG, verdict.error());
        assertEquals(List.of("error: unable to verify certificate at depth 1: certificate chain too long",
                "error: cert subject: CN = Test Intermediate CA", "error: cert issuer: CN = Test Root CA",
                "client certificate failed verification: certificate chain too long"), lines);
    }

    @Test
    public void acceptedIssuersFromFileAndPath() throws Exception {
        Path dir = tmp.newFolder("ca-dir").toPath();
        TestPki.Issued other = pki.cert("Dir CA").ca().issuedBy(null).issue();
        Files.copy(pki.caBundleFile(), dir.resolve("bundle.pem")); // first cert only: the root
        Files.copy(other.certFile(), dir.resolve("other.pem"));
        Files.writeString(dir.resolve("junk.txt"), "not a certificate");
        ClientTrust t = ClientTrust.load(ClientTrustSpec.ofCaFile(pki.caBundleFile()).withCaPath(dir));
        assertEquals(List.of(pki.root().cert(), pki.intermediate().cert(), other.cert()), t.acceptedIssuers());
        ClientTrust onlyDir = ClientTrust.load(new ClientTrustSpec(null, dir, null, null, 9, null));
        assertEquals(List.of(pki.root().cert(), other.cert()), onlyDir.acceptedIssuers());
        assertTrue(onlyDir.anchors().contains(pki.intermediate().cert()));
        assertFalse(onlyDir.crlCheckingEnabled());
    }

    @Test
    public void trustConfigurationErrors() throws Exception {
        Path empty = pki.write("empty-ca.pem", "nothing here\n");
        ConfigException e = expectError(ClientTrustSpec.ofCaFile(empty));
        assertEquals("TLSCACertificateFile", e.getDirective());
        assertEquals("unable to use '" + empty + "': file contained no certificate data", e.getReason());
        e = expectError(rootTrust().withCaPath(pki.rootFile()));
        assertEquals("TLSCACertificatePath", e.getDirective());
        assertTrue(e.getReason(), e.getReason().startsWith("parameter must be a directory path"));
        e = expectError(rootTrust().withRevocationFile(pki.rootFile()));
        assertEquals("TLSCARevocationFile", e.getDirective());
        assertEquals("unable to use '" + pki.rootFile() + "': file contained no CRL data", e.getReason());
        e = expectError(rootTrust().withRevocationPath(pki.rootFile()));
        assertEquals("TLSCARevocationPath", e.getDirective());
    }

    private static ConfigException expectError(ClientTrustSpec spec) {
        try {
            ClientTrust.load(spec);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }
}
