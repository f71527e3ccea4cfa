package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

import dev.modtls.pki.OpenSslText;
import dev.modtls.testsupport.TestPki;

/**
 * TLSVerifyClient over real sockets (mod_tls-spec §5.1, §5.2), TLS 1.2 and 1.3: one server with {@code optional} and
 * one with {@code on}, both with TLSCACertificateFile (root and intermediate), TLSCARevocationFile (a CRL of each CA)
 * and TLSVerifyDepth 2. Valid, expired, revoked, unknown-CA and too-deep client certificates; the TLSLog lines of each
 * failure under the connection's own id.
 */
@RunWith(Parameterized.class)
public class ClientCertificateTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestPki pki;
    private static TestServer optional;
    private static TestServer required;
    private static TestPki.Issued valid;
    private static TestPki.Issued expired;
    private static TestPki.Issued revoked;
    private static TestPki.Issued stranger;
    private static TestPki.Issued deep;

    @Parameters(name = "{0}")
    public static Collection<Object[]> protocols() {
        return Arrays.asList(new Object[][] {{"TLSv1.2"}, {"TLSv1.3"}});
    }

    private final String protocol;

    public ClientCertificateTest(String protocol) {
        this.protocol = protocol;
    }

    @BeforeClass
    public static void startServers() throws Exception {
        pki = TestPki.create(TMP.newFolder("pki").toPath());
        valid = pki.client("valid-client").ip("127.0.0.1").issue();
        expired = pki.client("expired-client").expired().issue();
        revoked = pki.client("revoked-client").issue();
        stranger = pki.unknownCaClient("stranger");
        deep = pki.deepClient("deep-client", 2);
        pki.revoke(revoked);
        Path crls = pki.write("crls.pem", Files.readString(pki.crlFile(pki.root()))
                + Files.readString(pki.crlFile(pki.intermediate())));
        optional = server("optional", "optional", crls);
        required = server("on", "on", crls);
    }

    private static TestServer server(String name, String mode, Path crls) throws Exception {
        return TestServer.builder(TMP.newFolder(name).toPath(), pki)
                .directive("TLSVerifyClient", mode)
                .directive("TLSCACertificateFile", pki.caBundleFile().toString())
                .directive("TLSCARevocationFile", crls.toString())
                .directive("TLSVerifyDepth", "2")
                .start();
    }

    @AfterClass
    public static void stopServers() {
        if (optional != null) {
            optional.close();
        }
        if (required != null) {
            required.close();
        }
    }

    private static RawFtpClient connect(TestServer server) throws IOException {
        RawFtpClient c = server.connect();
        assertEquals(220, c.read().code);
        return c;
    }

    private boolean accepted(TestServer server, TestPki.Issued client) throws IOException {
        try (RawFtpClient c = connect(server)) {
            return ClientCertificates.accepted(c, pki.clientContext(client), protocol);
        }
    }

    @Test
    public void optionalAcceptsNoCertificateAndAValidOne() throws Exception {
        assertTrue(accepted(optional, null));
        assertTrue(accepted(optional, valid));
        Logs.await(optional, "Client: " + OpenSslText.subject(valid.cert()));
    }

    @Test
    public void onAcceptsAValidCertificate() throws Exception {
        assertTrue(accepted(required, valid));
        Logs.await(required, "Client: " + OpenSslText.subject(valid.cert()));
    }

    @Test
    public void onRefusesAClientWithoutCertificate() throws Exception {
        assertFalse(accepted(required, null));
        Logs.await(required, "unable to accept TLS connection: client did not provide certificate, but one is "
                + "required via 'TLSVerifyClient on'");
        Logs.await(required, "TLS/TLS-C negotiation failed on control channel");
    }

    @Test
    public void expiredCertificateFailsUnderBothModes() throws Exception {
        for (TestServer server : List.of(optional, required)) {
            assertFalse(accepted(server, expired));
            Logs.await(server, "error: unable to verify certificate at depth 0: certificate has expired");
            Logs.await(server, "error: cert subject: " + OpenSslText.subject(expired.cert()));
            Logs.await(server, "client certificate failed verification: certificate has expired");
        }
    }

    @Test
    public void revokedCertificateFailsWithTheCrlLines() throws Exception {
        for (TestServer server : List.of(optional, required)) {
            assertFalse(accepted(server, revoked));
            Logs.await(server, "CRL: Issuer: ");
            Logs.await(server, "client certificate failed verification: certificate revoked");
        }
        assertNotUnderConnectionZero(optional, "client certificate failed verification: certificate revoked");
    }

    @Test
    public void unknownCaFails() throws Exception {
        for (TestServer server : List.of(optional, required)) {
            assertFalse(accepted(server, stranger));
            Logs.await(server, "client certificate failed verification: unable to get local issuer certificate");
        }
    }

    @Test
    public void chainDeeperThanTlsVerifyDepthFails() throws Exception {
        for (TestServer server : List.of(optional, required)) {
            assertFalse(accepted(server, deep));
            Logs.await(server, "error: unable to verify certificate at depth 3");
            Logs.await(server, "client certificate failed verification: certificate chain too long");
        }
    }

    /** Verification lines are logged under the id of the connection being verified, not the listener's 0. */
    private static void assertNotUnderConnectionZero(TestServer server, String message) throws IOException {
        for (String line : Files.readAllLines(server.tlsLog(), StandardCharsets.UTF_8)) {
            if (line.endsWith("]: " + message)) {
                assertFalse(line, line.contains("[0]: "));
                return;
            }
        }
        throw new AssertionError("no line '" + message + "'");
    }
}
