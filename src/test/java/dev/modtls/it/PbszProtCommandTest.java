package dev.modtls.it;

import static org.junit.Assert.assertEquals;

import java.io.IOException;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.testsupport.TestPki;

/**
 * PBSZ and PROT over real sockets: every row of mod_tls-spec §3.2 and §3.3 that does not need CCC, byte for byte,
 * with their TLSLog lines. TLSRequired is off here; the rows that depend on TLSRequired run in
 * {@link TlsRequiredMatrixTest}.
 */
public class PbszProtCommandTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestServer server;

    @BeforeClass
    public static void startServer() throws Exception {
        TestPki pki = TestPki.create(TMP.newFolder("pki").toPath());
        server = TestServer.builder(TMP.newFolder("server").toPath(), pki).start();
    }

    @AfterClass
    public static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static RawFtpClient secured() throws IOException {
        RawFtpClient c = server.connect();
        assertEquals(220, c.read().code);
        assertEquals(234, c.cmd("AUTH TLS").code);
        c.startTls();
        return c;
    }

    @Test
    public void beforeAuthPbszAndProtAreNotUnderstood() throws Exception {
        try (RawFtpClient c = server.connect()) {
            assertEquals(220, c.read().code);
            assertEquals("500 PBSZ not understood", c.cmd("PBSZ 0").line());
            assertEquals("500 PROT not understood", c.cmd("PROT P").line());
        }
    }

    @Test
    public void pbszReplies() throws Exception {
        try (RawFtpClient c = secured()) {
            assertEquals("200 PBSZ 0 successful", c.cmd("PBSZ 0").line());
            assertEquals("200 PBSZ=0 successful", c.cmd("PBSZ 1024").line());
            assertEquals("501 Invalid number of parameters", c.cmd("PBSZ").line());
        }
    }

    @Test
    public void protReplies() throws Exception {
        try (RawFtpClient c = secured()) {
            assertEquals("200 Protection set to Private", c.cmd("PROT P").line());
            assertEquals("200 Protection set to Clear", c.cmd("PROT C").line());
            assertEquals("536 PROT S unsupported", c.cmd("PROT S").line());
            assertEquals("536 PROT E unsupported", c.cmd("PROT E").line());
            assertEquals("504 PROT p unsupported", c.cmd("PROT p").line());
            assertEquals("504 PROT X unsupported", c.cmd("PROT X").line());
            assertEquals("501 Invalid number of parameters", c.cmd("PROT").line());
        }
        Logs.await(server, "Protection set to Private");
        Logs.await(server, "Protection set to Clear");
    }
}
