package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.pki.OpenSslText;
import dev.modtls.testsupport.TestPki;

/**
 * The TLS facts of mod_tls-spec §5.6 as FtpSession attributes ({@code modtls.<NAME>}), as a test Ftplet sees them on
 * the command after AUTH, with {@code TLSOptions StdEnvVars ExportCertData}; and mod_tls's line when there is no
 * client certificate.
 */
public class TlsFactsTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static final String[] NAMES = {"FTPS", "TLS_PROTOCOL", "TLS_CIPHER", "TLS_SESSION_ID",
        "TLS_CIPHER_KEYSIZE_USED", "TLS_LIBRARY_VERSION", "TLS_CLIENT_S_DN", "TLS_CLIENT_S_DN_CN", "TLS_CLIENT_S_DN_O",
        "TLS_CLIENT_I_DN_CN", "TLS_CLIENT_M_SERIAL", "TLS_CLIENT_M_VERSION", "TLS_CLIENT_A_KEY", "TLS_CLIENT_A_SIG",
        "TLS_CLIENT_V_END", "TLS_CLIENT_CERT", "TLS_CLIENT_CERT_CHAIN1", "TLS_SERVER_S_DN_CN", "TLS_SERVER_CERT"};

    /** What the Ftplet saw on the last FEAT. */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    /** Records the attributes on FEAT. */
    public static final class Recorder extends DefaultFtplet {
        @Override
        public FtpletResult beforeCommand(FtpSession session, FtpRequest request) {
            if ("FEAT".equals(request.getCommand())) {
                SEEN.clear();
                for (String n : NAMES) {
                    Object v = session.getAttribute("modtls." + n);
                    if (v != null) {
                        SEEN.put(n, v);
                    }
                }
            }
            return FtpletResult.DEFAULT;
        }
    }

    private static TestPki pki;
    private static TestServer server;
    private static TestPki.Issued client;

    @BeforeClass
    public static void startServer() throws Exception {
        pki = TestPki.create(TMP.newFolder("pki").toPath());
        client = pki.client("facts-client").subject("CN=facts-client,O=Example Org").issue();
        server = TestServer.builder(TMP.newFolder("server").toPath(), pki)
                .directive("TLSVerifyClient", "optional")
                .directive("TLSCACertificateFile", pki.rootFile().toString())
                .directive("TLSOptions", "StdEnvVars", "ExportCertData")
                .ftplet("recorder", new Recorder())
                .start();
    }

    @AfterClass
    public static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Before
    public void clear() {
        SEEN.clear();
    }

    private void feat(TestPki.Issued cert, String protocol) throws IOException {
        try (RawFtpClient c = server.connect()) {
            assertEquals(220, c.read().code);
            assertEquals(234, c.cmd("AUTH TLS").code);
            c.startTls(pki.clientContext(cert), protocol);
            assertEquals(211, c.cmd("FEAT").code);
        }
    }

    @Test
    public void stdEnvVarsWithAClientCertificate() throws Exception {
        feat(client, "TLSv1.2");
        assertEquals("1", SEEN.get("FTPS"));
        assertEquals("TLSv1.2", SEEN.get("TLS_PROTOCOL"));
        assertTrue(SEEN.toString(), ((String) SEEN.get("TLS_CIPHER")).startsWith("ECDHE-"));
        assertTrue(((String) SEEN.get("TLS_SESSION_ID")).matches("[0-9A-F]{64}"));
        assertEquals("facts-client", SEEN.get("TLS_CLIENT_S_DN_CN"));
        assertEquals("Example Org", SEEN.get("TLS_CLIENT_S_DN_O"));
        assertEquals(OpenSslText.subject(client.cert()), SEEN.get("TLS_CLIENT_S_DN"));
        assertEquals("Test Intermediate CA", SEEN.get("TLS_CLIENT_I_DN_CN"));
        if (client.cert().getSerialNumber().toByteArray().length < 4) {
            assertEquals(client.cert().getSerialNumber().toString(), SEEN.get("TLS_CLIENT_M_SERIAL"));
        } else {
            assertFalse(SEEN.containsKey("TLS_CLIENT_M_SERIAL"));
            Logs.await(server, "certificate serial number not printable");
        }
        assertEquals("3", SEEN.get("TLS_CLIENT_M_VERSION"));
        assertEquals("id-ecPublicKey", SEEN.get("TLS_CLIENT_A_KEY"));
        assertEquals("ecdsa-with-SHA256", SEEN.get("TLS_CLIENT_A_SIG"));
        assertEquals(OpenSslText.time(client.cert().getNotAfter()), SEEN.get("TLS_CLIENT_V_END"));
        assertTrue(((String) SEEN.get("TLS_CLIENT_CERT")).startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertNotNull("the intermediate the client sent", SEEN.get("TLS_CLIENT_CERT_CHAIN1"));
        assertEquals("localhost", SEEN.get("TLS_SERVER_S_DN_CN"));
        assertNotNull(SEEN.get("TLS_SERVER_CERT"));
        assertTrue(((String) SEEN.get("TLS_LIBRARY_VERSION")).startsWith("SunJSSE"));
    }

    @Test
    public void withoutAClientCertificateTheLogSaysSo() throws Exception {
        feat(null, "TLSv1.3");
        assertEquals("TLSv1.3", SEEN.get("TLS_PROTOCOL"));
        assertFalse(SEEN.containsKey("TLS_CLIENT_S_DN"));
        assertFalse(SEEN.containsKey("TLS_CLIENT_CERT"));
        assertEquals("localhost", SEEN.get("TLS_SERVER_S_DN_CN"));
        Logs.await(server, "unable to set client certificate environ variables: Client certificate unavailable");
    }
}
