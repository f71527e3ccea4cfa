package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;

import javax.net.ssl.SSLSocket;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.testsupport.TestPki;

/**
 * The directives that shape the control handshake, end to end: TLSProtocol, TLSCipherSuite (OpenSSL syntax on JDK
 * suites, and the separate TLS 1.3 list) and TLSTimeoutHandshake.
 */
public class HandshakeSettingsTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestServer.Builder server() throws Exception {
        return TestServer.builder(TMP.newFolder().toPath(), TestPki.create(TMP.newFolder().toPath()));
    }

    private static RawFtpClient authTls(TestServer s) throws IOException {
        RawFtpClient c = s.connect();
        assertEquals(220, c.read().code);
        assertEquals(234, c.cmd("AUTH TLS").code);
        return c;
    }

    @Test
    public void tlsProtocolLimitsTheVersions() throws Exception {
        try (TestServer s = server().directive("TLSProtocol", "TLSv1.3").start()) {
            try (RawFtpClient c = authTls(s)) {
                assertEquals("TLSv1.3", c.startTls("TLSv1.2", "TLSv1.3").getSession().getProtocol());
            }
            try (RawFtpClient c = authTls(s)) {
                c.startTls("TLSv1.2");
                throw new AssertionError("a TLS 1.2 client must not get a session from a TLSv1.3-only server");
            } catch (IOException expected) {
                // handshake refused
            }
            Logs.await(s, "unable to accept TLS connection: perhaps client requested disabled TLS protocol version: "
                    + "TLSv1, TLSv1.1, TLSv1.2");
            Logs.await(s, "TLS/TLS-C negotiation failed on control channel");
        }
    }

    @Test
    public void cipherSuiteListsPickTheSuites() throws Exception {
        try (TestServer s = server().directive("TLSCipherSuite", "ECDHE+AESGCM:!AES256")
                .directive("TLSCipherSuite", "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256").start()) {
            try (RawFtpClient c = authTls(s)) {
                SSLSocket tls = c.startTls("TLSv1.2");
                assertTrue(tls.getSession().getCipherSuite(),
                        tls.getSession().getCipherSuite().matches("TLS_ECDHE_(RSA|ECDSA)_WITH_AES_128_GCM_SHA256"));
            }
            try (RawFtpClient c = authTls(s)) {
                assertEquals("TLS_CHACHA20_POLY1305_SHA256", c.startTls("TLSv1.3").getSession().getCipherSuite());
            }
            Logs.await(s, "TLSv1.3 connection accepted, using cipher TLS_CHACHA20_POLY1305_SHA256 (256 bits)");
            Logs.await(s, "TLSv1.2 connection accepted, using cipher ECDHE-");
        }
    }

    @Test
    public void aClientThatNeverHandshakesTimesOut() throws Exception {
        try (TestServer s = server().directive("TLSTimeoutHandshake", "1").start(); RawFtpClient c = authTls(s)) {
            long start = System.nanoTime();
            // the client sends nothing: after the timeout the server answers in clear and closes
            String rest = new String(c.tcp().getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals("421 TLS handshake failed\r\n", rest);
            assertTrue("closed after about the timeout", System.nanoTime() - start < 5_000_000_000L);
            Logs.await(s, "TLS negotiation timed out (1 seconds)");
            Logs.await(s, "TLS/TLS-C negotiation failed on control channel");
        }
    }

    @Test
    public void alpnSelectsFtpWhenOfferedAndNothingOtherwise() throws Exception {
        Cli.require("openssl");
        try (TestServer on = server().start(); TestServer off = server().directive("TLSNextProtocol", "off").start()) {
            assertTrue(alpn(on, "ftp").contains("ALPN protocol: ftp"));
            assertTrue(alpn(on, "http/1.1").contains("No ALPN negotiated"));
            assertTrue(alpn(off, "ftp").contains("No ALPN negotiated"));
        }
    }

    private static String alpn(TestServer s, String offer) throws Exception {
        Cli.Result r = Cli.run(java.util.List.of("openssl", "s_client", "-starttls", "ftp", "-connect",
                "127.0.0.1:" + s.port(), "-alpn", offer), "", 30);
        return r.stdout;
    }

    @Test
    public void tlsMasqueradeAddressIsAnnouncedToFtpsSessionsOnly() throws Exception {
        try (TestServer s = server().directive("TLSMasqueradeAddress", "1.2.3.4").start()) {
            try (RawFtpClient c = authTls(s)) {
                c.startTls();
                assertEquals(331, c.cmd("USER alice").code);
                assertEquals(230, c.cmd("PASS secret").code);
                RawFtpClient.Reply pasv = c.cmd("PASV");
                assertTrue(pasv.line(), pasv.line().matches("227 .*\\(1,2,3,4,\\d+,\\d+\\)"));
            }
            try (RawFtpClient c = s.connect()) {
                assertEquals(220, c.read().code);
                assertEquals(331, c.cmd("USER alice").code);
                assertEquals(230, c.cmd("PASS secret").code);
                RawFtpClient.Reply pasv = c.cmd("PASV");
                assertTrue(pasv.line(), pasv.line().matches("227 .*\\(127,0,0,1,\\d+,\\d+\\)"));
            }
        }
        try (TestServer s = server().directive("TLSMasqueradeAddress", "no-such-host.invalid").start()) {
            throw new AssertionError("an unresolvable TLSMasqueradeAddress must stop the start");
        } catch (dev.modtls.config.ConfigException expected) {
            assertEquals("TLSMasqueradeAddress: unable to resolve \"no-such-host.invalid\"", expected.getMessage());
        }
    }
}
