package dev.modtls.pki;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.testsupport.TestPki;

public class OpenSslTextTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void oneLineNames() throws Exception {
        TestPki pki = TestPki.create(tmp.newFolder("a").toPath());
        TestPki.Issued c = pki.cert("x").subject("C=US,O=Example\\, Inc,OU=A+OU=B,CN=J\u00f6rg")
                .issue();
        assertEquals("C = US, O = \"Example, Inc\", OU = A + OU = B, CN = J\\C3\\B6rg",
                OpenSslText.subject(c.cert()));
        assertEquals("CN = Test Intermediate CA", OpenSslText.issuer(c.cert()));
        assertEquals("C=US, O=Example, Inc, OU=A, OU=B, CN=J\\xC3\\xB6rg",
                OpenSslText.compat(c.cert().getSubjectX500Principal()));
    }

    /** The same names as the openssl CLI prints them with {@code -nameopt oneline} (skipped without openssl). */
    @Test
    public void matchesOpensslCli() throws Exception {
        TestPki pki = TestPki.create(tmp.newFolder("b").toPath());
        for (String dn : List.of("CN=client,O=Example", "C=US,O=Example\\, Inc,CN=Root",
                "CN=a+emailAddress=a@b.c,DC=example,DC=org", "CN=\\#hash,O=a;b,OU=x\\\\y", "CN=J\u00f6rg")) {
            TestPki.Issued c = pki.cert("x").subject(dn.replace("emailAddress", "E")).issue();
            String out = openssl("x509", "-in", c.certFile().toString(), "-noout", "-subject", "-nameopt",
                    "oneline");
            Assume.assumeTrue(out != null);
            assertEquals(out.trim(), "subject=" + OpenSslText.subject(c.cert()));
        }
    }

    @Test
    public void escaping() {
        assertEquals("\"#hash\"", OpenSslText.escapeOneLine("#hash"));
        assertEquals("\" lead\"", OpenSslText.escapeOneLine(" lead"));
        assertEquals("a\\\"b", OpenSslText.escapeOneLine("a\"b"));
        assertEquals("a\\00b", OpenSslText.escapeOneLine("a\u0000b"));
    }

    @Test
    public void times() {
        assertEquals("Nov  4 00:05:09 2026 GMT", OpenSslText.time(Date.from(java.time.Instant.parse(
                "2026-11-04T00:05:09Z"))));
        assertEquals("Dec 24 13:45:00 2031 GMT", OpenSslText.time(Date.from(java.time.Instant.parse(
                "2031-12-24T13:45:00Z"))));
    }

    @Test
    public void addresses() throws Exception {
        assertEquals("127.0.0.1", OpenSslText.ip(InetAddress.getByName("127.0.0.1")));
        assertEquals("::1", OpenSslText.ip(InetAddress.getByName("::1")));
        assertEquals("2001:db8::1:0:0:1", OpenSslText.ip(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("fe80::", OpenSslText.ip(InetAddress.getByName("fe80::")));
        assertEquals("1:2:3:4:5:6:7:8", OpenSslText.ip(InetAddress.getByName("1:2:3:4:5:6:7:8")));
        assertEquals("1:0:3:4:5:6:7:8", OpenSslText.ip(InetAddress.getByName("1:0:3:4:5:6:7:8")));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 7;
        assertEquals("::ffff:10.0.0.7", OpenSslText.ipv6(mapped));
    }

    private static String openssl(String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
