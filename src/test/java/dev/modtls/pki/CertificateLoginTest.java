package dev.modtls.pki;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.config.ConfigException;
import dev.modtls.pki.CertificateLogin.Result;
import dev.modtls.pki.CertificateLogin.TlsUserName;
import dev.modtls.testsupport.TestPki;

public class CertificateLoginTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static TestPki pki;
    private static TestPki.Issued bob;

    @BeforeClass
    public static void setUp() throws Exception {
        pki = TestPki.create(tmp.newFolder("pki").toPath());
        bob = pki.client("bob").email("bob@example.org")
                .extension("1.3.6.1.4.1.99999.1", new DERUTF8String("bob"))
                .extension("1.3.6.1.4.1.99999.2", TestPki.octets("bob".getBytes("US-ASCII"))).issue();
    }

    @Test
    public void dotLoginMatchesBySignature() throws Exception {
        Path home = tmp.newFolder("home-bob").toPath();
        TestPki.Issued other = pki.client("other").issue();
        Files.writeString(home.resolve(".tlslogin"), Files.readString(other.certFile())
                + Files.readString(bob.certFile()));
        Result r = CertificateLogin.dotLogin(bob.cert(), home, "bob");
        assertTrue(r.ok());
        assertEquals(List.of(".tlslogin local/remote certificate MISMATCH",
                "TLS/X509 .tlslogin check successful for user 'bob'"), r.tlsLog());
        assertEquals(List.of("USER bob: TLS/X509 .tlslogin authentication successful"), r.authLog());
    }

    @Test
    public void dotLoginThroughSymlinkedHomeAndFailures() throws Exception {
        Path real = tmp.newFolder("real-home").toPath();
        Files.copy(bob.certFile(), real.resolve(".tlslogin"));
        Path link = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("link-home"), real);
        assertTrue(CertificateLogin.dotLogin(bob.cert(), link, "bob").ok());

        TestPki.Issued eve = pki.client("eve").issue();
        Result r = CertificateLogin.dotLogin(eve.cert(), link, "eve");
        assertFalse(r.ok());
        assertEquals(List.of(".tlslogin local/remote certificate MISMATCH",
                "TLS/X509 .tlslogin check failed for user 'eve'"), r.tlsLog());
        assertEquals(List.of(), r.authLog());

        Path empty = tmp.newFolder("no-dotfile").toPath();
        r = CertificateLogin.dotLogin(bob.cert(), empty, "bob");
        assertEquals(List.of(".tlslogin check: unable to open '" + empty.toRealPath().resolve(".tlslogin")
                + "': No such file or directory", "TLS/X509 .tlslogin check failed for user 'bob'"), r.tlsLog());
    }

    @Test
    public void commonNameAndEmail() {
        Result r = CertificateLogin.tlsUserName(bob.cert(), TlsUserName.parse("CommonName"), "bob");
        assertTrue(r.ok());
        assertEquals(List.of("matched client cert CommonName 'bob' to user 'bob'",
                "TLS/X509 TLSUserName 'CommonName' check successful for user 'bob'"), r.tlsLog());
        assertEquals(List.of("USER bob: TLS/X509 TLSUserName authentication successful"), r.authLog());
        assertFalse(CertificateLogin.tlsUserName(bob.cert(), TlsUserName.parse("CommonName"), "Bob").ok());
        r = CertificateLogin.tlsUserName(bob.cert(), TlsUserName.parse("EmailSubjAltName"), "bob@example.org");
        assertEquals(List.of("matched client cert Email SubjAltName 'bob@example.org' to user 'bob@example.org'",
                "TLS/X509 TLSUserName 'EmailSubjAltName' check successful for user 'bob@example.org'"),
                r.tlsLog());
        r = CertificateLogin.tlsUserName(bob.cert(), TlsUserName.parse("EmailSubjAltName"), "bob");
        assertEquals(List.of("TLS/X509 TLSUserName 'EmailSubjAltName' check failed for user 'bob'"), r.tlsLog());
    }

    /** Q7: by default the raw extension payload (DER tag and length included) is compared. */
    @Test
    public void oidRawBytesQuirkAndDecodedMode() {
        TlsUserName utf8 = TlsUserName.parse("1.3.6.1.4.1.99999.1");
        assertFalse(CertificateLogin.tlsUserName(bob.cert(), utf8, "bob").ok()); // payload is 0C 03 'bob'
        assertTrue(CertificateLogin.tlsUserName(bob.cert(), utf8.decoded(), "bob").ok());
        assertTrue(CertificateLogin.tlsUserName(bob.cert(), utf8, "\u000c\u0003bob").ok());
        Result r = CertificateLogin.tlsUserName(bob.cert(), utf8.decoded(), "bob");
        assertEquals(List.of("matched client cert 1.3.6.1.4.1.99999.1 extension 'bob' to user 'bob'",
                "TLS/X509 TLSUserName '1.3.6.1.4.1.99999.1' check successful for user 'bob'"), r.tlsLog());
        assertFalse(CertificateLogin.tlsUserName(bob.cert(), TlsUserName.parse("1.2.3.4"), "bob").ok());
    }

    @Test
    public void badlyFormattedOid() {
        for (String bad : List.of("commonname", "1.2.", "1", "1.x.3", "")) {
            try {
                TlsUserName.parse(bad);
                throw new AssertionError(bad);
            } catch (ConfigException e) {
                assertEquals("TLSUserName", e.getDirective());
                assertEquals("badly formatted OID parameter", e.getReason());
            }
        }
    }

    @Test
    public void embeddedNulCommonNameIsIgnored() {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        b.addRDN(BCStyle.CN, new DERUTF8String("bob\u0000"));
        TestPki.Issued spoof = pki.client("spoof").subject(b.build()).issue();
        Result r = CertificateLogin.tlsUserName(spoof.cert(), TlsUserName.parse("CommonName"), "bob");
        assertFalse(r.ok());
        assertEquals(List.of("cert CommonName contains embedded NULs, rejecting as possible spoof attempt",
                "suspicious CommonName value: 'bob\\x00'",
                "TLS/X509 TLSUserName 'CommonName' check failed for user 'bob'"), r.tlsLog());
    }
}
