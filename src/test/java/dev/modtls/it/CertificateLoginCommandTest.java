package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

import dev.modtls.testsupport.TestPki;

/**
 * Certificate logins (mod_tls-spec §5.4) through FtpServer's UserManager, TLS 1.2 and 1.3: TLSUserName CommonName and
 * TLSOptions AllowDotLogin, with TLSVerifyClient optional. 232 without PASS, 503 for a later PASS, the normal password
 * path otherwise, and no password-less permission surviving a USER (ProFTPD issue #2319). Real clients: Commons Net
 * FTPSClient with a client key manager, curl {@code --cert/--key}, {@code openssl s_client -cert/-key}.
 */
@RunWith(Parameterized.class)
public class CertificateLoginCommandTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestPki pki;
    private static TestServer server;
    private static TestPki.Issued bob;
    private static TestPki.Issued carolsLaptop;

    @Parameters(name = "{0}")
    public static Collection<Object[]> protocols() {
        return Arrays.asList(new Object[][] {{"TLSv1.2"}, {"TLSv1.3"}});
    }

    private final String protocol;

    public CertificateLoginCommandTest(String protocol) {
        this.protocol = protocol;
    }

    @BeforeClass
    public static void startServer() throws Exception {
        pki = TestPki.create(TMP.newFolder("pki").toPath());
        bob = pki.client("bob").issue();
        carolsLaptop = pki.client("carol-laptop").issue();
        Path dir = TMP.newFolder("server").toPath();
        server = TestServer.builder(dir, pki)
                .directive("TLSVerifyClient", "optional")
                .directive("TLSCACertificateFile", pki.caBundleFile().toString())
                .directive("TLSUserName", "CommonName")
                .directive("TLSOptions", "AllowDotLogin")
                .user("bob", "bobs-password")
                .user("carol", "carols-password")
                .start();
        Files.copy(carolsLaptop.certFile(), dir.resolve("homes").resolve("carol").resolve(".tlslogin"));
    }

    @AfterClass
    public static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private RawFtpClient secured(TestPki.Issued client) throws IOException {
        RawFtpClient c = server.connect();
        assertEquals(220, c.read().code);
        assertEquals(234, c.cmd("AUTH TLS").code);
        c.startTls(pki.clientContext(client), protocol);
        return c;
    }

    @Test
    public void tlsUserNameLogsInWithoutPasswordAndALaterPassGets503() throws Exception {
        try (RawFtpClient c = secured(bob)) {
            assertEquals("232 User bob logged in", c.cmd("USER bob").line());
            assertEquals("503 You are already logged in", c.cmd("PASS anything").line());
            assertEquals(257, c.cmd("PWD").code);
        }
        Logs.await(server, "matched client cert CommonName 'bob' to user 'bob'");
        Logs.await(server, "TLS/X509 TLSUserName 'CommonName' check successful for user 'bob'");
    }

    @Test
    public void dotTlsLoginLogsInWithoutPassword() throws Exception {
        try (RawFtpClient c = secured(carolsLaptop)) {
            assertEquals("232 User carol logged in", c.cmd("USER carol").line());
            assertEquals(257, c.cmd("PWD").code);
        }
        Logs.await(server, "TLS/X509 .tlslogin check successful for user 'carol'");
    }

    @Test
    public void aFailedCertificateUserLeavesNoPermissionForTheNextUser() throws Exception {
        try (RawFtpClient c = secured(bob)) {
            assertEquals("331 User name okay, need password for carol.", c.cmd("USER carol").line());
            assertEquals("331 User name okay, need password for alice.", c.cmd("USER alice").line());
            assertEquals(530, c.cmd("PASS wrong").code);
            assertEquals("331 User name okay, need password for alice.", c.cmd("USER alice").line());
            assertEquals(230, c.cmd("PASS " + TestServer.PASSWORD).code);
        }
        Logs.await(server, "TLS/X509 .tlslogin check failed for user 'carol'");
        Logs.await(server, "TLS/X509 TLSUserName 'CommonName' check failed for user 'carol'");
    }

    @Test
    public void aCertificateLoginEndsWithReinAndTheNextUserNeedsAPassword() throws Exception {
        try (RawFtpClient c = secured(bob)) {
            assertEquals(232, c.cmd("USER bob").code);
            assertEquals(220, c.cmd("REIN").code);
            assertEquals("331 User name okay, need password for alice.", c.cmd("USER alice").line());
            assertEquals(530, c.cmd("PASS wrong").code);
        }
    }

    @Test
    public void withoutClientCertificateOrTlsThePasswordIsNeeded() throws Exception {
        try (RawFtpClient c = secured(null)) {
            assertEquals("331 User name okay, need password for bob.", c.cmd("USER bob").line());
            assertEquals(230, c.cmd("PASS bobs-password").code);
        }
        try (RawFtpClient c = server.connect()) {
            assertEquals(220, c.read().code);
            assertEquals("331 User name okay, need password for bob.", c.cmd("USER bob").line());
        }
    }

    @Test
    public void commonsNetLogsInWithItsClientKeyManager() throws Exception {
        FTPSClient ftps = new FTPSClient("TLS", false);
        ftps.setEnabledProtocols(new String[] {protocol});
        ftps.setTrustManager(pki.trustManager());
        ftps.setKeyManager(pki.keyManager(bob));
        ftps.setDefaultTimeout(10000);
        ftps.connect("127.0.0.1", server.port());
        try {
            assertTrue(ftps.login("bob", "not-needed"));
            assertEquals("232 User bob logged in", ftps.getReplyString().trim());
            assertTrue(FTPReply.isPositiveCompletion(ftps.pwd()));
        } finally {
            ftps.disconnect();
        }
    }

    @Test
    public void curlLogsInWithCertAndKey() throws Exception {
        Cli.require("curl");
        String version = protocol.equals("TLSv1.2") ? "--tlsv1.2" : "--tlsv1.3";
        Cli.Result r = Cli.run(List.of("curl", "-sS", "-v", "--ssl-reqd", version, "--tls-max",
                protocol.substring(4), "--cacert", pki.rootFile().toString(), "--cert", bob.certFile().toString(),
                "--key", bob.keyPkcs8().toString(), "ftp://bob:@127.0.0.1:" + server.port() + "/"), null, 60);
        assertEquals(r.toString(), 0, r.exitCode);
        assertTrue(r.toString(), r.stderr.contains("232 User bob logged in"));
    }

    @Test
    public void opensslShowsTheAcceptableCaNamesAndLogsIn() throws Exception {
        Cli.require("openssl");
        String version = protocol.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3";
        Cli.Result r = Cli.run(List.of("openssl", "s_client", "-starttls", "ftp", "-connect",
                "127.0.0.1:" + server.port(), version, "-CAfile", pki.rootFile().toString(), "-cert",
                bob.certFile().toString(), "-key", bob.keyPkcs8().toString(), "-ign_eof"), "USER bob\r\nQUIT\r\n",
                30);
        assertTrue(r.toString(), r.stdout.contains("Acceptable client certificate CA names"));
        assertTrue(r.toString(), r.stdout.contains("CN = Test Root CA"));
        assertTrue(r.toString(), r.stdout.contains("CN = Test Intermediate CA"));
        assertTrue(r.toString(), r.stdout.contains("232 User bob logged in"));
    }
}
