package dev.modtls.pki;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.pki.ClientNameChecks.Options;
import dev.modtls.pki.ClientNameChecks.Result;
import dev.modtls.testsupport.TestPki;

public class ClientNameChecksTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static TestPki pki;
    private static TestPki.Issued client;
    private static InetAddress localhost;

    @BeforeClass
    public static void setUp() throws Exception {
        pki = TestPki.create(tmp.newFolder("pki").toPath());
        client = pki.client("Client.Example.org").dns("other.example.org").dns("CLIENT.example.org")
                .ip("10.0.0.7").ip("::1").issue();
        localhost = InetAddress.getByName("10.0.0.7");
    }

    private static final Options ALL = new Options(true, true, true);

    @Test
    public void allMatch() {
        Result r = ClientNameChecks.check(client.cert(), ALL, localhost, "client.example.org");
        assertTrue(r.ok());
        assertEquals(List.of("client cert dNSName SAN matches remote name 'client.example.org'",
                "client cert iPAddress SAN matches client IP '10.0.0.7'",
                "client cert CommonName matches client FQDN 'client.example.org'"), r.log());
    }

    @Test
    public void firstFailureStops() {
        Result r = ClientNameChecks.check(client.cert(), ALL, localhost, "elsewhere.example.org");
        assertFalse(r.ok());
        assertEquals(List.of("client cert dNSName SANs do not match remote name 'elsewhere.example.org'"), r.log());
        r = ClientNameChecks.check(client.cert(), ALL, InetAddress.getLoopbackAddress(), "client.example.org");
        assertEquals(List.of("client cert dNSName SAN matches remote name 'client.example.org'",
                "client cert iPAddress SANs do not match client IP '127.0.0.1'"), r.log());
        r = ClientNameChecks.check(client.cert(), new Options(false, false, true), localhost, "other.example.org");
        assertEquals(List.of("client cert CommonName does not match client FQDN 'other.example.org'"), r.log());
    }

    @Test
    public void ipv6AndMappedAddresses() throws Exception {
        Options ip = new Options(false, true, false);
        assertTrue(ClientNameChecks.check(client.cert(), ip, InetAddress.getByName("::1"), "x").ok());
        assertEquals(List.of("client cert iPAddress SAN matches client IP '::1'"),
                ClientNameChecks.check(client.cert(), ip, InetAddress.getByName("::1"), "x").log());
        TestPki.Issued mappedSan = pki.client("m").ip("::ffff:192.0.2.5").issue();
        assertTrue(ClientNameChecks.check(mappedSan.cert(), ip, InetAddress.getByName("192.0.2.5"), "x").ok());
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(new byte[] {10, 0, 0, 7}, 0, mapped, 12, 4);
        java.net.Inet6Address mappedClient = java.net.Inet6Address.getByAddress(null, mapped, -1);
        Result r = ClientNameChecks.check(client.cert(), ip, mappedClient, "x");
        assertTrue(r.log().toString(), r.ok());
    }

    @Test
    public void embeddedNulInDnsNameSan() {
        TestPki.Issued evil = pki.client("evil").san(new GeneralName(GeneralName.dNSName,
                new DERIA5String("client.example.org\u0000.evil.com"))).issue();
        Result r = ClientNameChecks.check(evil.cert(), ALL, localhost, "client.example.org");
        assertFalse(r.ok());
        assertEquals(List.of("cert dNSName SAN contains embedded NULs, rejecting as possible spoof attempt",
                "suspicious dNSName SAN value: 'client.example.org\\x00.evil.com'"), r.log());
    }

    @Test
    public void embeddedNulInCommonName() {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        b.addRDN(BCStyle.CN, new DERUTF8String("client.example.org\u0000.evil.com"));
        TestPki.Issued evil = pki.client("evil-cn").subject(b.build()).issue();
        Result r = ClientNameChecks.check(evil.cert(), new Options(false, false, true), localhost,
                "client.example.org");
        assertFalse(r.ok());
        assertEquals(List.of("cert CommonName contains embedded NULs, rejecting as possible spoof attempt",
                "suspicious CommonName value: 'client.example.org\\x00.evil.com'"), r.log());
    }

    @Test
    public void noCertificate() {
        Result r = ClientNameChecks.check(null, Options.NONE, localhost, "client.example.org");
        assertFalse(r.ok());
        assertEquals(List.of("unable to verify 'client.example.org': client did not provide certificate"), r.log());
    }

    @Test
    public void reverseDnsOffDisablesNameChecks() {
        List<String> log = new ArrayList<>();
        Options eff = ALL.effective(false, log::add);
        assertEquals(new Options(false, true, false), eff);
        assertEquals(List.of("reverse DNS off, disabling TLSOption dNSNameRequired",
                "reverse DNS off, disabling TLSOption CommonNameRequired"), log);
        assertEquals(ALL, ALL.effective(true, log::add));
    }
}
