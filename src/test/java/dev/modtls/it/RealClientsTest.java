package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.testsupport.TestPki;

/**
 * The control channel with the clients people use, against a server with {@code TLSRequired on}: Apache Commons Net
 * FTPSClient (TLS 1.2 and 1.3), curl and {@code openssl s_client -starttls ftp}.
 */
public class RealClientsTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestPki pki;
    private static TestServer server;

    @BeforeClass
    public static void startServer() throws Exception {
        pki = TestPki.create(TMP.newFolder("pki").toPath());
        server = TestServer.builder(TMP.newFolder("server").toPath(), pki)
                .directive("TLSRequired", "on")
                .directive("TLSOptions", "NoSessionReuseRequired")
                .start();
    }

    @AfterClass
    public static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static FTPSClient commonsNet(String protocol) throws Exception {
        FTPSClient ftps = new FTPSClient("TLS", false);
        ftps.setEnabledProtocols(new String[] {protocol});
        ftps.setTrustManager(pki.trustManager());
        ftps.setDefaultTimeout(10000);
        ftps.connect("127.0.0.1", server.port());
        assertTrue(FTPReply.isPositiveCompletion(ftps.getReplyCode()));
        return ftps;
    }

    @Test
    public void commonsNetLogsInAndReadsAFileOverTls12() throws Exception {
        commonsNetSession("TLSv1.2");
    }

    @Test
    public void commonsNetLogsInAndReadsAFileOverTls13() throws Exception {
        commonsNetSession("TLSv1.3");
    }

    private void commonsNetSession(String protocol) throws Exception {
        FTPSClient ftps = commonsNet(protocol);
        try {
            assertTrue(ftps.login(TestServer.USER, TestServer.PASSWORD));
            ftps.execPBSZ(0);
            assertEquals("200 PBSZ 0 successful", ftps.getReplyString().trim());
            ftps.execPROT("P");
            assertEquals("200 Protection set to Private", ftps.getReplyString().trim());
            ftps.enterLocalPassiveMode();
            ftps.setFileType(FTP.BINARY_FILE_TYPE);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(ftps.getReplyString(), ftps.retrieveFile("hello.txt", out));
            assertEquals(TestServer.HELLO, out.toString(StandardCharsets.US_ASCII));
            ftps.logout();
        } finally {
            ftps.disconnect();
        }
    }

    @Test
    public void curlListsTheHomeOverTlsAndPlainCurlIsRefused() throws Exception {
        Cli.require("curl");
        String url = "ftp://" + TestServer.USER + ":" + TestServer.PASSWORD + "@127.0.0.1:" + server.port() + "/";
        for (String version : List.of("--tlsv1.2", "--tlsv1.3")) {
            Cli.Result ok = Cli.run(List.of("curl", "-sS", "--ssl-reqd", version, "--cacert",
                    pki.rootFile().toString(), url), null, 60);
            assertEquals(ok.toString(), 0, ok.exitCode);
            assertTrue(ok.toString(), ok.stdout.contains("hello.txt"));
        }
        Cli.Result plain = Cli.run(List.of("curl", "-sS", "-v", url), null, 60);
        assertTrue(plain.toString(), plain.exitCode != 0);
        assertTrue(plain.toString(), plain.stderr.contains("550 SSL/TLS required on the control channel"));
    }

    @Test
    public void opensslStarttlsShowsTheServerCertificate() throws Exception {
        Cli.require("openssl");
        for (String version : List.of("-tls1_2", "-tls1_3")) {
            Cli.Result r = Cli.run(List.of("openssl", "s_client", "-starttls", "ftp", "-connect",
                    "127.0.0.1:" + server.port(), version, "-CAfile", pki.rootFile().toString()), "QUIT\r\n", 30);
            assertTrue(r.toString(), r.stdout.contains("Verify return code: 0 (ok)"));
            assertTrue(r.toString(), r.stdout.contains("CN = localhost") || r.stdout.contains("CN=localhost"));
            assertTrue(r.toString(), r.stdout.contains("No client certificate CA names sent"));
        }
    }
}
