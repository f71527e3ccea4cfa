package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.testsupport.TestPki;

/**
 * CCC (mod_tls-spec §3.4) end to end: the refusals by a raw client, and the real clear-down with Python's ftplib
 * ({@code SSLSocket.unwrap()}: close_notify both ways), over TLS 1.2 and TLS 1.3, followed by clear-text commands
 * and the replies mod_tls gives to AUTH, PBSZ and PROT after CCC.
 */
public class CccCommandTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestPki pki;
    private static TestServer server;
    private static TestServer ctrlRequired;

    @BeforeClass
    public static void startServers() throws Exception {
        pki = TestPki.create(TMP.newFolder("pki").toPath());
        server = TestServer.builder(TMP.newFolder("off").toPath(), pki).directive("TLSRequired", "auth+data").start();
        ctrlRequired = TestServer.builder(TMP.newFolder("on").toPath(), pki).directive("TLSRequired", "on").start();
    }

    @AfterClass
    public static void stopServers() {
        if (server != null) {
            server.close();
        }
        if (ctrlRequired != null) {
            ctrlRequired.close();
        }
    }

    @Test
    public void cccBeforeLoginAsksForLogin() throws Exception {
        try (RawFtpClient c = server.connect()) {
            assertEquals(220, c.read().code);
            assertEquals(234, c.cmd("AUTH TLS").code);
            c.startTls();
            assertEquals("530 Please login with USER and PASS", c.cmd("CCC").line());
        }
    }

    @Test
    public void cccWithoutAuthIsNotUnderstood() throws Exception {
        TestServer plainAllowed = TestServer.builder(TMP.newFolder().toPath(), pki).start();
        try (RawFtpClient c = plainAllowed.connect()) {
            assertEquals(220, c.read().code);
            assertEquals(331, c.cmd("USER alice").code);
            assertEquals(230, c.cmd("PASS secret").code);
            assertEquals("500 CCC not understood", c.cmd("CCC").line());
        } finally {
            plainAllowed.close();
        }
    }

    @Test
    public void cccIsRefusedWhenTlsRequiredCoversTheControlChannel() throws Exception {
        try (RawFtpClient c = ctrlRequired.connect()) {
            assertEquals(220, c.read().code);
            assertEquals(234, c.cmd("AUTH TLS").code);
            c.startTls();
            assertEquals(331, c.cmd("USER alice").code);
            assertEquals(230, c.cmd("PASS secret").code);
            assertEquals("534 Unwilling to accept security parameters", c.cmd("CCC").line());
            assertEquals(200, c.cmd("NOOP").code);
        }
        Logs.await(ctrlRequired, "CCC: unwilling to accept security parameters: TLSRequired setting does not allow "
                + "for unprotected control channel");
    }

    @Test
    public void pythonClearsTheControlChannelOverTls12AndTls13() throws Exception {
        Cli.require("python3");
        for (String version : List.of("TLSv1_2", "TLSv1_3")) {
            String script = String.join("\n",
                    "import ftplib, ssl",
                    "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)",
                    "ctx.check_hostname = False",
                    "ctx.verify_mode = ssl.CERT_NONE",
                    "ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion." + version,
                    "f = ftplib.FTP_TLS(context=ctx, timeout=10)",
                    "f.connect('127.0.0.1', " + server.port() + ")",
                    "f.login('alice', 'secret')",
                    "print(f.ccc())",
                    "print(f.voidcmd('NOOP'))",
                    "print(f.sendcmd('PROT P'))",
                    "try:",
                    "    f.sendcmd('PBSZ 0')",
                    "except ftplib.error_perm as e:",
                    "    print(e)",
                    "try:",
                    "    f.sendcmd('AUTH TLS')",
                    "except ftplib.error_perm as e:",
                    "    print(e)",
                    "try:",
                    "    f.sendcmd('CCC')",
                    "except ftplib.error_perm as e:",
                    "    print(e)",
                    "print(f.sendcmd('QUIT'))");
            Cli.Result r = Cli.run(List.of("python3", "-c", script), null, 60);
            assertEquals(r.toString(), 0, r.exitCode);
            assertEquals(r.toString(), List.of("200 Clearing control channel protection", "200 Command NOOP okay.",
                    "200 Protection set to Private", "503 PBSZ not allowed on insecure control connection",
                    "534 Unwilling to accept security parameters", "533 CCC not allowed on insecure control connection",
                    "221 Goodbye."), List.of(r.stdout.strip().split("\n")));
        }
        Logs.await(server, "received CCC, clearing control channel protection");
        Logs.await(server, "Unwilling to accept AUTH after CCC for this session");
    }

    @Test
    public void curlClearsTheControlChannelAndStillListsOverProtectedData() throws Exception {
        Cli.require("curl");
        Cli.Result r = Cli.run(List.of("curl", "-sS", "--ssl-reqd", "--ftp-ssl-ccc", "-k", "-v",
                "ftp://alice:secret@127.0.0.1:" + server.port() + "/"), null, 60);
        // TLSRequired auth+data: the data connection stays protected after CCC.
        assertEquals(r.toString(), 0, r.exitCode);
        assertTrue(r.toString(), r.stdout.contains("hello.txt"));
        assertTrue(r.toString(), r.stderr.contains("200 Clearing control channel protection"));
    }
}
