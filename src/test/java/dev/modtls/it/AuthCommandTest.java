package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLSocket;

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
 * AUTH over real sockets, every row of mod_tls-spec §3.1 that a control connection can reach without CCC, for
 * TLS 1.2 and TLS 1.3: the reply text byte for byte and the TLSLog lines.
 */
@RunWith(Parameterized.class)
public class AuthCommandTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestPki pki;
    private static TestServer server;

    @Parameters(name = "{0}")
    public static Collection<Object[]> protocols() {
        return Arrays.asList(new Object[][] {{"TLSv1.2"}, {"TLSv1.3"}});
    }

    private final String protocol;

    public AuthCommandTest(String protocol) {
        this.protocol = protocol;
    }

    @BeforeClass
    public static void startServer() throws Exception {
        pki = TestPki.create(TMP.newFolder("pki").toPath());
        server = TestServer.builder(TMP.newFolder("server").toPath(), pki).start();
    }

    @AfterClass
    public static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private RawFtpClient connect() throws IOException {
        RawFtpClient c = server.connect();
        assertEquals(220, c.read().code);
        return c;
    }

    @Test
    public void row7AuthTlsIsAnsweredInClearThenHandshakes() throws Exception {
        for (String arg : List.of("TLS", "tls", "TLS-C", "tLs-c")) {
            try (RawFtpClient c = connect()) {
                String expected = "234 AUTH " + arg.toUpperCase() + " successful";
                assertEquals(expected, c.cmd("AUTH " + arg).line());
                SSLSocket tls = c.startTls(protocol);
                assertEquals(protocol, tls.getSession().getProtocol());
                assertEquals("331 User name okay, need password for alice.", c.cmd("USER alice").line());
                assertEquals(230, c.cmd("PASS secret").code);
            }
        }
        Logs.await(server, "TLS/TLS-C requested, starting TLS handshake");
        Logs.await(server, protocol + " connection accepted, using cipher ");
    }

    @Test
    public void row8AuthSslAndTlsPImplyProtP() throws Exception {
        for (String arg : List.of("SSL", "TLS-P")) {
            try (RawFtpClient c = connect()) {
                assertEquals("234 AUTH " + arg + " successful", c.cmd("AUTH " + arg).line());
                c.startTls(protocol);
                assertEquals(230, login(c));
            }
        }
        Logs.await(server, "SSL/TLS-P requested, starting TLS handshake");
    }

    @Test
    public void row2SecondAuthIsRefused() throws Exception {
        try (RawFtpClient c = connect()) {
            assertEquals(234, c.cmd("AUTH TLS").code);
            c.startTls(protocol);
            assertEquals("503 Unwilling to accept second AUTH", c.cmd("AUTH TLS").line());
            assertEquals("503 Unwilling to accept second AUTH", c.cmd("AUTH SSL").line());
        }
        Logs.await(server, "Unwilling to accept AUTH after AUTH for this session");
    }

    @Test
    public void row3AuthWithoutArgument() throws Exception {
        try (RawFtpClient c = connect()) {
            assertEquals("504 AUTH requires at least one argument", c.cmd("AUTH").line());
            // the session goes on in clear
            assertEquals(234, c.cmd("AUTH TLS").code);
            c.startTls(protocol);
        }
    }

    @Test
    public void row9UnknownMechanismIsDeclined() throws Exception {
        try (RawFtpClient c = connect()) {
            assertEquals("500 AUTH not understood", c.cmd("AUTH KERBEROS_V4").line());
            assertEquals("500 AUTH not understood", c.cmd("AUTH tls-x").line());
        }
        Logs.await(server, "AUTH KERBEROS_V4 unsupported, declining");
    }

    @Test
    public void row6AuthAfterLoginIsRefused() throws Exception {
        try (RawFtpClient c = connect()) {
            assertEquals(230, login(c));
            assertEquals("534 Unwilling to accept security parameters", c.cmd("AUTH TLS").line());
        }
        Logs.await(server, "Unwilling to accept AUTH after USER/PASS authentication for this session unless "
                + "AllowPerUser TLSOption is used");
    }

    @Test
    public void row7fClearTextInsteadOfClientHelloGets421() throws Exception {
        try (RawFtpClient c = connect()) {
            assertEquals(234, c.cmd("AUTH TLS").code);
            RawFtpClient.Reply reply = c.cmd("FEAT");
            assertNotNull("the server must answer the clear-text fallback", reply);
            assertEquals("421 TLS handshake failed", reply.line());
            assertEquals("the session ends after the 421", -1, c.tcp().getInputStream().read());
        }
        Logs.await(server, "TLS/TLS-C negotiation failed on control channel");
    }

    @Test
    public void row8fFailedHandshakeAfterAuthSslLogsItsSummary() throws Exception {
        try (RawFtpClient c = connect()) {
            assertEquals(234, c.cmd("AUTH SSL").code);
            assertEquals("421 TLS handshake failed", c.cmd("QUIT").line());
        }
        Logs.await(server, "SSL/TLS-P negotiation failed on control channel");
    }

    @Test
    public void handshakeWithAProtocolTheServerDoesNotOfferFails() throws Exception {
        // The JDK's own client refuses to offer TLS 1.1, so a real TLS 1.1 ClientHello comes from OpenSSL.
        Cli.require("openssl");
        Cli.Result r = Cli.run(List.of("openssl", "s_client", "-starttls", "ftp", "-connect",
                "127.0.0.1:" + server.port(), "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"), "", 30);
        assertTrue(r.toString(), r.exitCode != 0);
        Logs.await(server, "unable to accept TLS connection: protocol error: ");
        Logs.await(server, "unable to accept TLS connection: perhaps client requested disabled TLS protocol "
                + "version: TLSv1, TLSv1.1");
    }

    private static int login(RawFtpClient c) throws IOException {
        assertEquals(331, c.cmd("USER " + TestServer.USER).code);
        return c.cmd("PASS " + TestServer.PASSWORD).code;
    }

    static void assertNoLine(TestServer s, String line) throws IOException {
        assertFalse(s.tlsLogMessages().contains(line));
    }
}
