package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collection;

import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

import dev.modtls.testsupport.TestPki;

/**
 * The post-handshake name checks of {@code TLSVerifyClient on} (mod_tls-spec §5.3), TLS 1.2 and 1.3: with the
 * module's default {@code UseReverseDNS off}, dNSNameRequired and CommonNameRequired are disabled with mod_tls's lines
 * and iPAddressRequired decides; a failed check ends the session with 421 after the handshake. With
 * {@code UseReverseDNS on}, CommonNameRequired compares the client's reverse-DNS name.
 */
@RunWith(Parameterized.class)
public class ClientNameChecksTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestPki pki;
    private static TestServer noReverseDns;
    private static TestServer reverseDns;
    private static TestPki.Issued withIp;
    private static TestPki.Issued withoutIp;
    private static TestPki.Issued localhost;

    @Parameters(name = "{0}")
    public static Collection<Object[]> protocols() {
        return Arrays.asList(new Object[][] {{"TLSv1.2"}, {"TLSv1.3"}});
    }

    private final String protocol;

    public ClientNameChecksTest(String protocol) {
        this.protocol = protocol;
    }

    @BeforeClass
    public static void startServers() throws Exception {
        pki = TestPki.create(TMP.newFolder("pki").toPath());
        withIp = pki.client("client-at-loopback").ip("127.0.0.1").issue();
        withoutIp = pki.client("client-elsewhere").ip("192.0.2.7").issue();
        localhost = pki.client("localhost").issue();
        noReverseDns = TestServer.builder(TMP.newFolder("no-dns").toPath(), pki)
                .directive("TLSVerifyClient", "on")
                .directive("TLSCACertificateFile", pki.caBundleFile().toString())
                .directive("TLSOptions", "dNSNameRequired", "iPAddressRequired", "CommonNameRequired")
                .start();
        reverseDns = TestServer.builder(TMP.newFolder("dns").toPath(), pki)
                .directive("TLSVerifyClient", "on")
                .directive("TLSCACertificateFile", pki.caBundleFile().toString())
                .directive("TLSOptions", "CommonNameRequired")
                .directive("UseReverseDNS", "on")
                .start();
    }

    @AfterClass
    public static void stopServers() {
        if (noReverseDns != null) {
            noReverseDns.close();
        }
        if (reverseDns != null) {
            reverseDns.close();
        }
    }

    private RawFtpClient secured(TestServer server, TestPki.Issued client) throws IOException {
        RawFtpClient c = server.connect();
        assertEquals(220, c.read().code);
        assertEquals(234, c.cmd("AUTH TLS").code);
        c.startTls(pki.clientContext(client), protocol);
        return c;
    }

    @Test
    public void matchingIpAddressSanPassesAndReverseDnsOffDisablesTheNameChecks() throws Exception {
        try (RawFtpClient c = secured(noReverseDns, withIp)) {
            assertEquals(211, c.cmd("FEAT").code);
        }
        Logs.await(noReverseDns, "reverse DNS off, disabling TLSOption dNSNameRequired");
        Logs.await(noReverseDns, "reverse DNS off, disabling TLSOption CommonNameRequired");
        Logs.await(noReverseDns, "client cert iPAddress SAN matches client IP '127.0.0.1'");
    }

    @Test
    public void otherIpAddressSanEndsTheSessionWith421() throws Exception {
        try (RawFtpClient c = secured(noReverseDns, withoutIp)) {
            assertEquals("421 TLS handshake failed", c.read().line());
            assertNull(c.read());
        }
        Logs.await(noReverseDns, "client cert iPAddress SANs do not match client IP '127.0.0.1'");
        Logs.await(noReverseDns, "TLS/TLS-C negotiation failed on control channel");
    }

    @Test
    public void commonNameMustBeTheReverseDnsName() throws Exception {
        String name = InetAddress.getByName("127.0.0.1").getCanonicalHostName();
        Assume.assumeTrue("127.0.0.1 resolves to " + name, "localhost".equals(name));
        try (RawFtpClient c = secured(reverseDns, localhost)) {
            assertEquals(211, c.cmd("FEAT").code);
        }
        Logs.await(reverseDns, "client cert CommonName matches client FQDN 'localhost'");
        boolean refused;
        try (RawFtpClient c = secured(reverseDns, withIp)) {
            RawFtpClient.Reply r = c.read();
            refused = r != null && r.code == 421;
        }
        assertTrue(refused);
        Logs.await(reverseDns, "client cert CommonName does not match client FQDN 'localhost'");
        assertFalse(reverseDns.tlsLogMessages().contains("reverse DNS off, disabling TLSOption CommonNameRequired"));
    }

    /**
     * With reverse DNS the checks run on the TLS filter's task pool, off the I/O processor; a command the client sends
     * right behind its handshake must still wait for them: the first reply is the 421, FEAT is never answered.
     */
    @Test
    public void commandRightBehindTheHandshakeWaitsForTheReverseDnsChecks() throws Exception {
        try (RawFtpClient c = secured(reverseDns, withIp)) {
            c.send("FEAT");
            assertEquals("421 TLS handshake failed", c.read().line());
            assertNull(c.read());
        }
        Logs.await(reverseDns, "client cert CommonName does not match client FQDN");
    }
}
