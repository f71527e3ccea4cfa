package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.testsupport.TestPki;

/**
 * FEAT before login and mod_tls's lines in it (§3.6), SYST before login, and the AUTH rows that depend on the
 * server's configuration rather than the session: TLSEngine off (§3.1 row 1) and no certificate (row 5).
 */
public class FeatAndEngineTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    @Test
    public void featBeforeLoginListsTheTlsFeaturesSorted() throws Exception {
        TestPki pki = TestPki.create(TMP.newFolder().toPath());
        try (TestServer s = TestServer.builder(TMP.newFolder().toPath(), pki).directive("TLSRequired", "on").start();
                RawFtpClient c = s.connect()) {
            assertEquals(220, c.read().code);
            RawFtpClient.Reply feat = c.cmd("FEAT");
            assertEquals(211, feat.code);
            List<String> features = feat.lines.subList(1, feat.lines.size() - 1);
            assertTrue(feat.toString(), features.containsAll(List.of(" AUTH TLS", " CCC", " PBSZ", " PROT")));
            assertFalse("mod_tls does not advertise AUTH SSL", features.contains(" AUTH SSL"));
            assertEquals(features.stream().sorted().toList(), features);
            assertEquals(215, c.cmd("SYST").code);
        }
    }

    @Test
    public void tlsEngineOffDeclinesAuthAndAdvertisesNothing() throws Exception {
        TestPki pki = TestPki.create(TMP.newFolder().toPath());
        try (TestServer s = TestServer.builder(TMP.newFolder().toPath(), pki).directive("TLSEngine", "off").start();
                RawFtpClient c = s.connect()) {
            assertEquals(220, c.read().code);
            assertEquals("500 AUTH not understood", c.cmd("AUTH TLS").line());
            RawFtpClient.Reply feat = c.cmd("FEAT");
            assertFalse(feat.toString(), feat.lines.stream().anyMatch(l -> l.startsWith(" AUTH")
                    || l.equals(" PBSZ") || l.equals(" PROT") || l.equals(" CCC")));
        }
    }

    @Test
    public void withoutCertificatesAuthGets431() throws Exception {
        try (TestServer s = TestServer.builder(TMP.newFolder().toPath(), null).withoutCertificates().start();
                RawFtpClient c = s.connect()) {
            assertEquals(220, c.read().code);
            assertEquals("431 Necessary security resource unavailable", c.cmd("AUTH tls").line());
            Logs.await(s, "Unable to accept AUTH tls due to lack of certificates");
            Logs.await(s, "no TLSRSACertificateFile, TLSDSACertificateFile, TLSECCertificateFile, or TLSPKCS12File "
                    + "configured; unable to handle SSL/TLS connections");
        }
    }

    @Test
    public void aStockListenerOfTheSameServerKeepsFtpServersCommands() throws Exception {
        TestPki pki = TestPki.create(TMP.newFolder().toPath());
        try (TestServer s = TestServer.builder(TMP.newFolder().toPath(), pki).withStockListener().start();
                RawFtpClient c = new RawFtpClient("127.0.0.1", s.stockPort())) {
            assertEquals(220, c.read().code);
            // FtpServer's own AUTH and login gate on its own listener: no SSL configured there
            assertEquals("530 Access denied.", c.cmd("FEAT").line());
            assertEquals(431, c.cmd("AUTH TLS").code);
            assertEquals(331, c.cmd("USER alice").code);
            assertEquals(230, c.cmd("PASS secret").code);
            RawFtpClient.Reply feat = c.cmd("FEAT");
            assertTrue(feat.toString(), feat.lines.contains(" AUTH SSL"));
        }
    }
}
