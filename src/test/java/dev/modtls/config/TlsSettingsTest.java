package dev.modtls.config;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.modtls.policy.TlsOption;
import dev.modtls.policy.TlsRequired;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

public class TlsSettingsTest {
    private static TlsSettings.Builder b() {
        return TlsSettings.builder();
    }

    /** Asserts that the line is refused with this directive and reason. */
    private static void refused(String line, String directive, String reason) {
        try {
            b().line(line).build();
            fail("accepted: " + line);
        } catch (ConfigException e) {
            assertEquals(line, directive, e.getDirective());
            assertEquals(line, reason, e.getReason());
        }
    }

    @Test
    public void defaults() {
        TlsSettings s = b().build();
        assertFalse(s.engine());
        assertEquals(Optional.empty(), s.logFile());
        assertEquals(TlsProtocols.defaults(), s.protocols());
        assertTrue(s.protocols().contains("TLSv1.2") && s.protocols().contains("TLSv1.3"));
        assertEquals(TlsRequired.OFF, s.required());
        assertEquals(EnumSet.noneOf(TlsOption.class), s.options());
        assertEquals("DEFAULT:!ADH:!EXPORT:!DES", s.cipherList());
        assertEquals(Optional.empty(), s.tls13CipherList());
        List<String> suites = List.of(s.cipherSuites());
        assertFalse(suites.isEmpty());
        assertEquals(CipherSuites.jdk().defaultTls13(), suites.subList(suites.size() - 3, suites.size()));
        assertTrue(s.serverCipherPreference());
        assertEquals(Duration.ofSeconds(300), s.handshakeTimeout());
        assertEquals(VerifyClient.OFF, s.verifyClient());
        assertEquals(9, s.verifyDepth());
        assertEquals(List.of(RevocationCheck.CRL), s.verifyOrder());
        assertEquals(VerifyServer.ON, s.verifyServer());
        assertTrue(s.sessionCache().enabled());
        assertEquals(20480, s.sessionCache().size());
        assertEquals(Duration.ofSeconds(15840), s.sessionCache().timeout());
        assertEquals(RenegotiationSettings.DEFAULT, s.renegotiation());
        assertFalse(s.certificatesConfigured());
        assertTrue(s.sessionReuseRequired());
        assertEquals("FtpServer", s.serverName());
        assertEquals(List.of(), s.directiveLines());
        assertTrue(s.nextProtocol());
    }

    @Test
    public void namesAreCaseInsensitiveAndLinesAreRecorded() {
        TlsSettings s = b().directive("tlsengine", "ON").line("  TLSREQUIRED   \"auth+data\"  ")
                .line("# comment").line("").line("<IfModule mod_tls.c>").line("</IfModule>").build();
        assertTrue(s.engine());
        assertEquals(1, s.required().auth());
        assertEquals(List.of("TLSEngine ON", "TLSRequired auth+data"), s.directiveLines());
        refused("TLSFoo on", "TLSFoo", "unknown directive");
        refused("ServerName x", "ServerName", "unknown directive");
    }

    @Test
    public void booleans() {
        for (String t : new String[] {"on", "ON", "yes", "True", "1"}) {
            assertTrue(t, b().directive("TLSEngine", t).build().engine());
        }
        for (String f : new String[] {"off", "No", "FALSE", "0"}) {
            assertFalse(f, b().directive("TLSServerCipherPreference", f).build().serverCipherPreference());
        }
        refused("TLSEngine maybe", "TLSEngine", "expected Boolean parameter");
        refused("TLSEngine", "TLSEngine", "wrong number of parameters");
        refused("TLSEngine on off", "TLSEngine", "wrong number of parameters");
        refused("TLSServerCipherPreference 2", "TLSServerCipherPreference", "expected Boolean parameter");
    }

    @Test
    public void tlsLog() {
        Path base = Paths.get("/srv/ftp");
        assertEquals(Optional.of(Paths.get("/srv/ftp/log/tls.log")),
                b().baseDirectory(base).directive("TLSLog", "log/tls.log").build().logFile());
        assertEquals(Optional.of(Paths.get("/var/log/tls.log")),
                b().baseDirectory(base).directive("TLSLog", "/var/log/tls.log").build().logFile());
        assertEquals(Optional.empty(), b().directive("TLSLog", "/x").directive("TLSLog", "NONE").build().logFile());
    }

    @Test
    public void tlsProtocol() {
        assertEquals(List.of("TLSv1.2"), b().line("TLSProtocol TLSv1.2").build().protocols());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), b().line("TLSProtocol tlsv1.3 TLSv1.2").build().protocols());
        assertEquals(List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"), b().line("TLSProtocol SSLv23").build()
                .protocols());
        assertEquals(List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"), b().line("TLSProtocol ALL").build()
                .protocols());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"),
                b().line("TLSProtocol ALL -TLSv1 -TLSv1.1").build().protocols());
        assertEquals(List.of("TLSv1.2"), b().line("TLSProtocol all -TLSv1.0 -TLSv1.1 -TLSv1.3").build().protocols());
        assertEquals(List.of("TLSv1", "TLSv1.2"), b().line("TLSProtocol TLSv1.0 TLSv1.2").build().protocols());
        refused("TLSProtocol TLSv1.4", "TLSProtocol", "unknown protocol: 'TLSv1.4'");
        refused("TLSProtocol ALL TLSv1.2", "TLSProtocol", "missing required +/- prefix: TLSv1.2");
        refused("TLSProtocol ALL +TLSv9", "TLSProtocol", "unknown protocol: '+TLSv9'");
        refused("TLSProtocol +TLSv1.2", "TLSProtocol", "unknown protocol: '+TLSv1.2'");
        refused("TLSProtocol", "TLSProtocol", "wrong number of parameters");
    }

    @Test
    public void tlsRequired() {
        assertEquals(-1, b().line("TLSRequired auth+!data").build().required().data());
        refused("TLSRequired !ctrl", "TLSRequired", "bad parameter");
        refused("TLSRequired data+auth", "TLSRequired", "bad parameter");
        refused("TLSRequired", "TLSRequired", "wrong number of parameters");
    }

    @Test
    public void tlsOptionsAreOred() {
        TlsSettings s = b().line("TLSOptions NoSessionReuseRequired EnableDiags")
                .line("TLSOptions AllowClientRenegotiation").build();
        assertEquals(EnumSet.of(TlsOption.NO_SESSION_REUSE_REQUIRED, TlsOption.ENABLE_DIAGS,
                TlsOption.ALLOW_CLIENT_RENEGOTIATIONS), s.options());
        assertFalse(s.sessionReuseRequired());
        StringBuilder all = new StringBuilder("TLSOptions");
        for (TlsOption o : TlsOption.values()) {
            if (o != TlsOption.ALLOW_PER_USER) {
                all.append(' ').append(o.spelling());
            }
        }
        assertEquals(15, b().line(all.toString()).build().options().size());
        refused("TLSOptions NoCertRequest", "TLSOptions", "unknown TLSOption 'NoCertRequest'");
        refused("TLSOptions enablediags", "TLSOptions", "unknown TLSOption 'enablediags'");
        refused("TLSOptions", "TLSOptions", "wrong number of parameters");
    }

    @Test
    public void allowPerUserWithAuthRequiredRefusesToStart() {
        for (String req : new String[] {"on", "ctrl", "both", "auth", "auth+data", "ctrl+!data", "auth+!data"}) {
            try {
                b().serverName("ftp.example.com").line("TLSOptions AllowPerUser").line("TLSRequired " + req).build();
                fail(req);
            } catch (ConfigException e) {
                assertEquals("Server ftp.example.com: cannot enforce both 'TLSRequired auth' and "
                        + "'TLSOptions AllowPerUser' at the same time", e.getReason());
            }
        }
        for (String req : new String[] {"off", "data", "!data"}) {
            assertTrue(req, b().line("TLSOptions AllowPerUser").line("TLSRequired " + req).build()
                    .hasOption(TlsOption.ALLOW_PER_USER));
        }
    }

    @Test
    public void cipherSuite() {
        TlsSettings s = b().line("TLSCipherSuite HIGH:!aNULL").line("TLSCipherSuite TLSv1.3 TLS_AES_128_GCM_SHA256")
                .build();
        assertEquals("HIGH:!aNULL:!EXPORT", s.cipherList());
        assertEquals(Optional.of("TLS_AES_128_GCM_SHA256"), s.tls13CipherList());
        List<String> suites = List.of(s.cipherSuites());
        assertEquals("TLS_AES_128_GCM_SHA256", suites.get(suites.size() - 1));
        assertEquals(CipherSuites.jdk().select("HIGH:!aNULL:!EXPORT", new ArrayList<>()),
                suites.subList(0, suites.size() - 1));
        // the last <=1.2 line and the last 1.3 line win
        TlsSettings last = b().line("TLSCipherSuite HIGH").line("TLSCipherSuite TLSv1.2 ECDHE+AESGCM")
                .line("TLSCipherSuite TLSv1.3 TLS_AES_256_GCM_SHA384")
                .line("TLSCipherSuite TLSv1.3 TLS_CHACHA20_POLY1305_SHA256").build();
        assertEquals("ECDHE+AESGCM:!EXPORT", last.cipherList());
        assertEquals("TLS_CHACHA20_POLY1305_SHA256", last.cipherSuites()[last.cipherSuites().length - 1]);
        assertEquals("PROFILE=SYSTEM", b().line("TLSCipherSuite PROFILE=SYSTEM").build().cipherList());
        refused("TLSCipherSuite FOOBAR", "TLSCipherSuite", "unable to use ciphersuite 'FOOBAR:!EXPORT': no cipher match");
        refused("TLSCipherSuite TLS_AES_128_GCM_SHA256", "TLSCipherSuite",
                "use of TLSv1.3 ciphersuite in 'TLS_AES_128_GCM_SHA256' requires protocol parameter; "
                        + "use 'TLSCipherSuite TLSv1.3 TLS_AES_128_GCM_SHA256'");
        refused("TLSCipherSuite SSLv3 HIGH", "TLSCipherSuite", "unknown/unsupported protocol specifier: SSLv3");
        refused("TLSCipherSuite TLSv1.3 FOO", "TLSCipherSuite", "unable to use ciphersuite 'FOO': no cipher match");
        refused("TLSCipherSuite", "TLSCipherSuite", "wrong number of parameters");
        refused("TLSCipherSuite a b c", "TLSCipherSuite", "wrong number of parameters");
    }

    @Test
    public void handshakeTimeoutDurations() {
        String[][] ok = {{"300", "300"}, {"0", "0"}, {"5m", "300"}, {"5min", "300"}, {"2minutes", "120"},
            {"1h", "3600"}, {"1hr", "3600"}, {"2hours", "7200"}, {"45s", "45"}, {"45sec", "45"}, {"10secs", "10"},
            {"01:02:03", "3723"}, {"0:5:0", "300"}, {"30S", "30"}};
        for (String[] c : ok) {
            assertEquals(c[0], Duration.ofSeconds(Long.parseLong(c[1])),
                    b().directive("TLSTimeoutHandshake", c[0]).build().handshakeTimeout());
        }
        refused("TLSTimeoutHandshake soon", "TLSTimeoutHandshake", "error parsing timeout value 'soon': Invalid argument");
        refused("TLSTimeoutHandshake 5d", "TLSTimeoutHandshake", "error parsing timeout value '5d': Invalid argument");
        refused("TLSTimeoutHandshake -5", "TLSTimeoutHandshake",
                "error parsing timeout value '-5': Numerical result out of range");
    }

    @Test
    public void filesResolveAgainstTheBaseDirectory() {
        String[] dirs = {"TLSRSACertificateFile", "TLSRSACertificateKeyFile", "TLSECCertificateFile",
            "TLSECCertificateKeyFile", "TLSPKCS12File", "TLSCertificateChainFile", "TLSCACertificateFile",
            "TLSCACertificatePath", "TLSCARevocationFile", "TLSCARevocationPath", "TLSPassPhraseProvider"};
        TlsSettings.Builder builder = b();
        for (String d : dirs) {
            builder.directive(d, "etc/" + d);
        }
        TlsSettings s = builder.baseDirectory(Paths.get("/opt/ftp")).build();
        List<Optional<Path>> got = List.of(s.rsaCertificateFile(), s.rsaCertificateKeyFile(), s.ecCertificateFile(),
                s.ecCertificateKeyFile(), s.pkcs12File(), s.certificateChainFile(), s.caCertificateFile(),
                s.caCertificatePath(), s.caRevocationFile(), s.caRevocationPath(), s.passPhraseProvider());
        for (int i = 0; i < dirs.length; i++) {
            assertEquals(dirs[i], Optional.of(Paths.get("/opt/ftp/etc/" + dirs[i])), got.get(i));
        }
        assertTrue(s.certificatesConfigured());
        assertTrue(b().directive("TLSECCertificateFile", "/a").build().certificatesConfigured());
        assertTrue(b().directive("TLSPKCS12File", "/a").build().certificatesConfigured());
        assertFalse(b().directive("TLSRSACertificateKeyFile", "/a").build().certificatesConfigured());
        refused("TLSRSACertificateKeyFile pkcs11:token=x", "TLSRSACertificateKeyFile",
                "PKCS#11 URIs are not supported; use a key file or a PKCS#12 bundle");
        refused("TLSRSACertificateFile", "TLSRSACertificateFile", "wrong number of parameters");
    }

    @Test
    public void passwordsAreCopied() {
        char[] pw = "secret".toCharArray();
        TlsSettings s = b().keyPassword(pw).pkcs12Password("p12".toCharArray()).build();
        pw[0] = 'X';
        assertArrayEquals("secret".toCharArray(), s.keyPassword().get());
        s.keyPassword().get()[0] = 'Y';
        assertArrayEquals("secret".toCharArray(), s.keyPassword().get());
        assertArrayEquals("p12".toCharArray(), s.pkcs12Password().get());
        assertEquals(Optional.empty(), b().build().keyPassword());
    }

    @Test
    public void verifySettings() {
        assertEquals(VerifyClient.ON, b().line("TLSVerifyClient on").build().verifyClient());
        assertEquals(VerifyClient.OPTIONAL, b().line("TLSVerifyClient Optional").build().verifyClient());
        assertEquals(VerifyClient.OFF, b().line("TLSVerifyClient no").build().verifyClient());
        refused("TLSVerifyClient required", "TLSVerifyClient", "expected Boolean parameter");
        assertEquals(0, b().line("TLSVerifyDepth 0").build().verifyDepth());
        assertEquals(3, b().line("TLSVerifyDepth 3").build().verifyDepth());
        refused("TLSVerifyDepth -1", "TLSVerifyDepth", "depth must be zero or greater");
        refused("TLSVerifyDepth deep", "TLSVerifyDepth", "depth must be zero or greater");
        assertEquals(List.of(RevocationCheck.OCSP, RevocationCheck.CRL),
                b().line("TLSVerifyOrder OCSP crl").build().verifyOrder());
        assertEquals(List.of(RevocationCheck.OCSP), b().line("TLSVerifyOrder ocsp").build().verifyOrder());
        refused("TLSVerifyOrder crl foo", "TLSVerifyOrder", "unsupported verification mechanism 'foo' requested");
        refused("TLSVerifyOrder crl ocsp crl", "TLSVerifyOrder", "wrong number of parameters");
        assertEquals(VerifyServer.NO_REVERSE_DNS, b().line("TLSVerifyServer noreversedns").build().verifyServer());
        assertEquals(VerifyServer.OFF, b().line("TLSVerifyServer off").build().verifyServer());
        refused("TLSVerifyServer maybe", "TLSVerifyServer", "expected Boolean parameter");
    }

    @Test
    public void userName() {
        for (String ok : new String[] {"CommonName", "EmailSubjAltName", "1.2.840.113549.1.9.1"}) {
            assertEquals(Optional.of(ok), b().directive("TLSUserName", ok).build().userName());
        }
        refused("TLSUserName commonname", "TLSUserName", "badly formatted OID parameter");
        refused("TLSUserName 1.2.x", "TLSUserName", "badly formatted OID parameter");
    }

    @Test
    public void sessionCache() {
        SessionCacheSettings c = b().line("TLSSessionCache internal:").build().sessionCache();
        assertTrue(c.enabled());
        assertEquals(Duration.ofSeconds(1800), c.timeout());
        assertEquals(Duration.ofSeconds(600), b().line("TLSSessionCache internal: 600").build().sessionCache()
                .timeout());
        assertEquals(5000, b().sessionCacheSize(5000).build().sessionCache().size());
        TlsSettings off = b().line("TLSSessionCache off").build();
        assertFalse(off.sessionCache().enabled());
        assertTrue(off.hasOption(TlsOption.NO_SESSION_REUSE_REQUIRED));
        assertFalse(off.sessionReuseRequired());
        assertTrue(off.notes().contains("TLSSessionCache off implies TLSOptions NoSessionReuseRequired"));
        refused("TLSSessionCache internal", "TLSSessionCache", "badly formatted parameter");
        refused("TLSSessionCache shm:/file=/var/run/cache", "TLSSessionCache", "session cache type 'shm' not available");
        refused("TLSSessionCache redis:", "TLSSessionCache", "session cache type 'redis' not available");
        refused("TLSSessionCache internal: 0", "TLSSessionCache", "timeout be greater than 1");
        refused("TLSSessionCache internal: 5x", "TLSSessionCache", "'5x' is not a valid timeout value");
        refused("TLSSessionCache", "TLSSessionCache", "wrong number of parameters");
        try {
            b().sessionCacheSize(0);
            fail();
        } catch (ConfigException e) {
            assertEquals("TLSSessionCache", e.getDirective());
        }
    }

    @Test
    public void renegotiate() {
        RenegotiationSettings r = b().line("TLSRenegotiate ctrl 3 data 32 timeout 2").build().renegotiation();
        assertEquals(Duration.ofSeconds(3), r.ctrlInterval());
        assertEquals(32 * 1024, r.dataLimitBytes());
        assertEquals(Duration.ofSeconds(2), r.timeout());
        assertTrue("required defaults to on when the directive is used", r.required());
        assertFalse(r.refuseAll());
        RenegotiationSettings r2 = b().line("TLSRenegotiate required off data 1").build().renegotiation();
        assertFalse(r2.required());
        assertEquals(Duration.ofSeconds(30), r2.timeout());
        RenegotiationSettings none = b().line("TLSRenegotiate NONE").build().renegotiation();
        assertTrue(none.refuseAll());
        assertEquals(Duration.ZERO, none.timeout());
        assertFalse(RenegotiationSettings.DEFAULT.refuseAll());
        assertFalse(RenegotiationSettings.DEFAULT.required());
        assertEquals(Duration.ofSeconds(30), RenegotiationSettings.DEFAULT.timeout());
        refused("TLSRenegotiate data 1k", "TLSRenegotiate", "data must be valid number: '1k'");
        refused("TLSRenegotiate required maybe", "TLSRenegotiate", "required must be a Boolean value: 'maybe'");
        refused("TLSRenegotiate timeout 0", "TLSRenegotiate", "timeout must be greater than zero: '0'");
        refused("TLSRenegotiate timeout x", "TLSRenegotiate", "timeout must be greater than zero: 'x'");
        refused("TLSRenegotiate foo 1", "TLSRenegotiate", "unknown TLSRenegotiate argument 'foo'");
        refused("TLSRenegotiate Ctrl 1", "TLSRenegotiate", "unknown TLSRenegotiate argument 'Ctrl'");
        refused("TLSRenegotiate", "TLSRenegotiate", "wrong number of parameters");
        refused("TLSRenegotiate ctrl", "TLSRenegotiate", "wrong number of parameters");
        refused("TLSRenegotiate ctrl 1 data 2 timeout 3 required on ctrl 4", "TLSRenegotiate",
                "wrong number of parameters");
    }

    @Test
    public void masqueradeAndNextProtocol() {
        assertEquals(Optional.of("1.2.3.4"), b().line("TLSMasqueradeAddress 1.2.3.4").build().masqueradeAddress());
        assertFalse(b().line("TLSNextProtocol off").build().nextProtocol());
        assertTrue(b().line("TLSSessionTickets off").build().sessionCache().enabled());
        refused("TLSSessionTickets on", "TLSSessionTickets", "TLS 1.2 session tickets are not supported: this module "
                + "relies on the server-side session cache to check data-connection session reuse");
    }

    @Test
    public void directivesWithoutMeaningOnTheJvmAreRefusedWithAReason() {
        String[] lines = {"TLSCryptoDevice ALL", "TLSRandomSeed /var/run/seed", "TLSServerInfoFile /x",
            "TLSPreSharedKey id hex:/x", "TLSDSACertificateFile /x", "TLSDSACertificateKeyFile /x",
            "TLSECDHCurve prime256v1", "TLSDHParamFile /x", "TLSStapling on", "TLSStaplingCache off",
            "TLSStaplingOptions NoNonce", "TLSStaplingResponder http://x", "TLSStaplingTimeout 5",
            "TLSSessionTicketKeys age 1h", "TLSControlsACLs all allow user *"};
        for (String l : lines) {
            String name = l.split(" ")[0];
            try {
                b().line(l);
                fail(l);
            } catch (ConfigException e) {
                assertEquals(l, name, e.getDirective());
                assertFalse(l, e.getReason().equals("unknown directive"));
                assertTrue(l, e.getReason().length() > 30);
            }
        }
    }

    @Test
    public void tokenizer() {
        assertEquals(List.of("TLSLog", "/var/log/my tls.log"), DirectiveLine.tokenize("TLSLog \"/var/log/my tls.log\""));
        assertEquals(List.of("a", "b\"c"), DirectiveLine.tokenize("a \"b\\\"c\""));
        assertEquals(List.of(), DirectiveLine.tokenize("   # TLSEngine on"));
        assertEquals(Optional.of(Paths.get("/var/log/my tls.log")),
                b().line("TLSLog \"/var/log/my tls.log\"").build().logFile());
        try {
            DirectiveLine.tokenize("TLSLog \"/var/log");
            fail();
        } catch (ConfigException e) {
            assertEquals("TLSLog", e.getDirective());
        }
    }
}
