package dev.modtls.it;

import static org.junit.Assert.assertEquals;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.testsupport.TestPki;

/**
 * The STARTTLS command-injection attack (the CVE-2011-0411 class): clear-text commands sent in the same TCP segment
 * as AUTH, behind it, must never run in the TLS session. mod_tls reads them as a broken TLS record; so do we: the
 * handshake fails with the clear 421 and the session ends.
 */
public class StartTlsInjectionTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    @Test
    public void commandsPipelinedBehindAuthAreRefused() throws Exception {
        TestPki pki = TestPki.create(TMP.newFolder().toPath());
        try (TestServer s = TestServer.builder(TMP.newFolder().toPath(), pki).start(); RawFtpClient c = s.connect()) {
            assertEquals(220, c.read().code);
            OutputStream out = c.tcp().getOutputStream();
            out.write("AUTH TLS\r\nUSER alice\r\nPASS secret\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("234 AUTH TLS successful", c.read().line());
            assertEquals("421 TLS handshake failed", c.read().line());
            assertEquals(-1, c.tcp().getInputStream().read());
            Logs.await(s, "unable to accept TLS connection: protocol error: clear-text USER command sent after AUTH");
            Logs.await(s, "TLS/TLS-C negotiation failed on control channel");
        }
    }

    @Test
    public void aPartialLineBehindAuthIsNotPrefixedToTheFirstProtectedCommand() throws Exception {
        TestPki pki = TestPki.create(TMP.newFolder().toPath());
        try (TestServer s = TestServer.builder(TMP.newFolder().toPath(), pki).start(); RawFtpClient c = s.connect()) {
            assertEquals(220, c.read().code);
            OutputStream out = c.tcp().getOutputStream();
            // "DELE hello.txt" would be completed by the victim's first protected line if the fragment survived
            out.write("AUTH TLS\r\nDELE hello.txt ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("234 AUTH TLS successful", c.read().line());
            c.startTls();
            assertEquals(331, c.cmd("USER alice").code);
            assertEquals(230, c.cmd("PASS secret").code);
            assertEquals(true, java.nio.file.Files.exists(s.home().resolve("hello.txt")));
        }
    }
}
