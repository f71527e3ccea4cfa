package dev.modtls.pki;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.testsupport.Handshakes;
import dev.modtls.testsupport.TestPki;

/** The shared server context: provider, session cache settings, ticket property, RSA/EC choice in real handshakes. */
public class TlsContextFactoryTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static TestPki pki;
    private static ServerCredentials both;

    @BeforeClass
    public static void makePki() throws Exception {
        pki = TestPki.create(tmp.newFolder("pki").toPath());
        TestPki.Issued rsa = pki.server(KeyKind.RSA);
        TestPki.Issued ec = pki.server(KeyKind.EC);
        both = ServerCredentials.load(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs1())
                .withEc(ec.certFile(), ec.keySec1()).withChain(pki.intermediate().certFile()), m -> { });
    }

    private static SSLContext server() {
        return TlsContextFactory.create(both.keyManagers(), null, 1000, 15840);
    }

    @Test
    public void sunJsseWithSessionSettingsAndStatefulTickets() {
        SSLContext ctx = server();
        assertEquals("SunJSSE", ctx.getProvider().getName());
        assertEquals(1000, ctx.getServerSessionContext().getSessionCacheSize());
        assertEquals(15840, ctx.getServerSessionContext().getSessionTimeout());
        assertEquals("false", System.getProperty(TlsContextFactory.TICKET_PROPERTY));
    }

    /** The reason for the ticket property: a resumed session must carry the values bound into the first one. */
    @Test
    public void resumedSessionsCarryBoundValuesTls12AndTls13() throws Exception {
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            SSLContext client = pki.clientContext(null);
            Object token = new Object();
            try (Handshakes.Server server = Handshakes.listen(server(), null)) {
                Handshakes.Result first = server.connect(client, s -> s.setEnabledProtocols(new String[] {protocol}));
                assertTrue(first.toString(), first.ok());
                first.serverSession.putValue("token", token);
                Handshakes.Result second = server.connect(client, s -> s.setEnabledProtocols(
                        new String[] {protocol}));
                assertTrue(second.toString(), second.ok());
                assertEquals(protocol, second.serverSession.getProtocol());
                // TLS 1.2: the same session object; TLS 1.3: the stateful ticket's copy shares the bound values
                assertSame(protocol, token, second.serverSession.getValue("token"));
                assertEquals(first.serverSession.getCreationTime(), second.serverSession.getCreationTime());
            }
        }
    }

    @Test
    public void tls12PicksCertificateByCipherSuite() throws Exception {
        assertEquals("EC", serverKeyAlgorithm("TLSv1.2", suites("_ECDSA_"), null));
        assertEquals("RSA", serverKeyAlgorithm("TLSv1.2", suites("_RSA_WITH_"), null));
    }

    @Test
    public void tls13PicksCertificateBySignatureAlgorithms() throws Exception {
        assertEquals("EC", serverKeyAlgorithm("TLSv1.3", null, "RSA"));
        assertEquals("RSA", serverKeyAlgorithm("TLSv1.3", null, "ECDSA"));
    }

    @Test
    public void serverSendsChainFileAfterLeaf() throws Exception {
        SSLContext client = pki.clientContext(null); // trusts the root only: needs the intermediate from the server
        Handshakes.Result r = Handshakes.run(server(), null, client, null);
        assertTrue(r.toString(), r.ok());
        assertEquals(2, r.clientSession.getPeerCertificates().length);
        assertEquals(pki.intermediate().cert(), r.clientSession.getPeerCertificates()[1]);
    }

    private static String[] suites(String marker) throws GeneralSecurityException {
        String[] all = SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites();
        return Arrays.stream(all).filter(s -> s.startsWith("TLS_ECDHE") && s.contains(marker))
                .toArray(String[]::new);
    }

    /**
     * One handshake with a client restricted to some cipher suites (TLS 1.2) or to signature algorithms without
     * {@code deniedSignature} (TLS 1.3, through the client's algorithm constraints, the JDK 17 way to narrow
     * signature_algorithms per connection). The client trusts any server certificate: this test is about which
     * certificate the server picks, not about trust.
     */
    private static String serverKeyAlgorithm(String protocol, String[] suites, String deniedSignature)
            throws Exception {
        SSLContext client = SSLContext.getInstance("TLS", "SunJSSE");
        List<X509Certificate> seen = new ArrayList<>();
        client.init(null, new TrustManager[] {new RecordingTrustManager(seen)}, null);
        Handshakes.Result r = Handshakes.run(server(), null, client, s -> configure(s, protocol, suites,
                deniedSignature));
        assertTrue(r.toString(), r.ok());
        assertEquals(protocol, r.clientSession.getProtocol());
        assertNotNull(r.clientSession.getPeerCertificates());
        assertEquals(1, seen.size());
        return seen.get(0).getPublicKey().getAlgorithm();
    }

    private static void configure(SSLSocket s, String protocol, String[] suites, String deniedSignature) {
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[] {protocol});
        if (suites != null) {
            p.setCipherSuites(suites);
        }
        if (deniedSignature != null) {
            p.setAlgorithmConstraints(new DenySignatures(deniedSignature));
        }
        s.setSSLParameters(p);
    }

    /** Denies every algorithm whose name contains the given word (e.g. RSA: SHA256withRSA, RSASSA-PSS). */
    private static final class DenySignatures implements AlgorithmConstraints {
        private final String word;

        DenySignatures(String word) {
            this.word = word;
        }

        private boolean allowed(String algorithm) {
            String a = algorithm.toUpperCase(Locale.ROOT);
            if (word.equals("RSA")) {
                return !(a.contains("WITHRSA") || a.startsWith("RSASSA") || a.startsWith("RSA_") || a.equals("RSA"));
            }
            return !a.contains(word);
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
            return allowed(algorithm);
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
            return true;
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key,
                AlgorithmParameters parameters) {
            return allowed(algorithm);
        }
    }

    /** Accepts any server certificate and records it. */
    private static final class RecordingTrustManager extends X509ExtendedTrustManager {
        private final List<X509Certificate> seen;

        RecordingTrustManager(List<X509Certificate> seen) {
            this.seen = seen;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            seen.add(chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
            seen.add(chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen.add(chain[0]);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
