package dev.modtls.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.Test;

public class CipherSuitesTest {
    private final CipherSuites jdk = CipherSuites.jdk();
    private final List<String> notes = new ArrayList<>();

    /** A table with suites this JDK does not enable, to exercise keywords that select nothing on a stock JDK. */
    private final CipherSuites wide = new CipherSuites(List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_DH_anon_WITH_AES_128_CBC_SHA", "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
            "SSL_RSA_WITH_3DES_EDE_CBC_SHA", "SSL_RSA_WITH_DES_CBC_SHA", "SSL_RSA_WITH_RC4_128_SHA",
            "TLS_RSA_WITH_NULL_SHA256", "SSL_RSA_EXPORT_WITH_RC4_40_MD5", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"),
            List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256",
                    "TLS_RSA_WITH_AES_128_CBC_SHA"));

    @Test
    public void openSslNames() {
        String[][] names = {
            {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
            {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
            {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256"},
            {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
            {"TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305"},
            {"TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", "DHE-DSS-AES256-GCM-SHA384"},
            {"TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA"},
            {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
            {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
            {"TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256"},
            {"TLS_DH_anon_WITH_AES_128_CBC_SHA", "ADH-AES128-SHA"},
            {"TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "AECDH-AES128-SHA"},
            {"SSL_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA"},
            {"SSL_RSA_WITH_RC4_128_SHA", "RC4-SHA"},
            {"TLS_RSA_WITH_NULL_SHA256", "NULL-SHA256"},
            {"TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", "ECDH-RSA-AES128-SHA"},
            {"TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384"},
            {"TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256"},
        };
        for (String[] n : names) {
            assertEquals(n[0], n[1], CipherSuites.openSslName(n[0]));
        }
        assertEquals("not a suite", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
                CipherSuites.openSslName("TLS_EMPTY_RENEGOTIATION_INFO_SCSV"));
    }

    @Test
    public void bits() {
        assertEquals(256, CipherSuites.bits("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        assertEquals(128, CipherSuites.bits("TLS_AES_128_GCM_SHA256"));
        assertEquals(256, CipherSuites.bits("TLS_CHACHA20_POLY1305_SHA256"));
        assertEquals(112, CipherSuites.bits("SSL_RSA_WITH_3DES_EDE_CBC_SHA"));
        assertEquals(0, CipherSuites.bits("TLS_EMPTY_RENEGOTIATION_INFO_SCSV"));
    }

    @Test
    public void everyJdkSuiteIsInTheTable() throws Exception {
        SSLContext ctx = SSLContext.getDefault();
        for (String s : ctx.getSupportedSSLParameters().getCipherSuites()) {
            if (!s.contains("SCSV")) {
                assertTrue(s, jdk.find(s) != null);
                assertEquals(s, jdk.find(jdk.find(s).openSslName()).jdkName());
            }
        }
    }

    @Test
    public void defaultListIsTheJdkDefaultFilteredAndSupported() throws Exception {
        SSLContext ctx = SSLContext.getDefault();
        Set<String> supported = new HashSet<>(Arrays.asList(ctx.getSupportedSSLParameters().getCipherSuites()));
        List<String> enabled = Arrays.asList(ctx.getDefaultSSLParameters().getCipherSuites());
        List<String> def = jdk.select(TlsSettings.DEFAULT_CIPHER_LIST, notes);
        assertFalse(def.isEmpty());
        List<String> expected = new ArrayList<>();
        for (String s : enabled) {
            CipherSuiteInfo i = CipherSuiteInfo.of(s);
            if (i != null && !i.tls13() && !(i.keyExchange().equals("DHE") && i.authentication().equals("NULL"))
                    && !i.encryption().equals("DES") && i.strength() != CipherSuiteInfo.Strength.EXPORT) {
                expected.add(s);
            }
        }
        assertEquals(expected, def);
        for (String s : def) {
            assertTrue(s, supported.contains(s));
        }
    }

    @Test
    public void highWithoutANull() {
        List<String> high = wide.select("HIGH:!aNULL", notes);
        for (String s : high) {
            CipherSuiteInfo i = wide.find(s);
            assertEquals(s, CipherSuiteInfo.Strength.HIGH, i.strength());
            assertFalse(s, i.authentication().equals("NULL"));
        }
        assertTrue(high.contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        assertFalse(high.contains("SSL_RSA_WITH_3DES_EDE_CBC_SHA"));
        assertFalse(high.contains("TLS_DH_anon_WITH_AES_128_CBC_SHA"));
        assertFalse("never TLS 1.3 suites in a <=1.2 list", high.contains("TLS_AES_256_GCM_SHA384"));
    }

    @Test
    public void intersectionSelectsOnlyBoth() {
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
                wide.select("ECDHE+AESGCM", notes));
        assertEquals(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), wide.select("ECDHE+AESGCM+aECDSA", notes));
    }

    @Test
    public void orderingOperators() {
        // +X moves to the end, -X removes (may be added back), !X removes for good
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
                wide.select("ECDHE+aRSA:+AESGCM", notes));
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
                wide.select("ECDHE+aRSA:-AESGCM", notes));
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
                wide.select("ECDHE+aRSA:-AESGCM:ECDHE-RSA-AES256-GCM-SHA384", notes));
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
                wide.select("ECDHE+aRSA:!AESGCM:ECDHE-RSA-AES256-GCM-SHA384", notes));
        List<String> strength = wide.select("AES128-SHA:AES256-SHA256:@STRENGTH", notes);
        assertEquals(List.of("TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"), strength);
    }

    @Test
    public void separatorsAndKeywords() {
        assertEquals(wide.select("kRSA:aNULL", notes), wide.select("kRSA, aNULL", notes));
        assertEquals(List.of("TLS_DH_anon_WITH_AES_128_CBC_SHA"), wide.select("ADH", notes));
        assertEquals(List.of("TLS_ECDH_anon_WITH_AES_128_CBC_SHA"), wide.select("AECDH", notes));
        assertEquals(List.of("SSL_RSA_WITH_3DES_EDE_CBC_SHA"), wide.select("3DES", notes));
        assertEquals(List.of("SSL_RSA_WITH_DES_CBC_SHA"), wide.select("DES", notes));
        assertEquals(List.of("SSL_RSA_WITH_RC4_128_SHA"), wide.select("RC4:!EXPORT", notes));
        assertEquals(List.of("TLS_RSA_WITH_NULL_SHA256"), wide.select("eNULL", notes));
        assertEquals(List.of("SSL_RSA_EXPORT_WITH_RC4_40_MD5"), wide.select("EXPORT", notes));
        assertFalse(wide.select("ALL", notes).contains("TLS_RSA_WITH_NULL_SHA256"));
        assertTrue(wide.select("ALL", notes).contains("TLS_DH_anon_WITH_AES_128_CBC_SHA"));
        assertFalse(wide.select("DHE", notes).contains("TLS_DH_anon_WITH_AES_128_CBC_SHA"));
        assertEquals(List.of("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), wide.select("EDH", notes));
        assertEquals(List.of("TLS_RSA_WITH_AES_128_CBC_SHA"), wide.select("TLS_RSA_WITH_AES_128_CBC_SHA", notes));
        assertTrue(wide.select("TLSv1.2", notes).contains("TLS_RSA_WITH_AES_256_CBC_SHA256"));
        assertFalse(wide.select("TLSv1.2", notes).contains("TLS_RSA_WITH_AES_128_CBC_SHA"));
        assertTrue(wide.select("SSLv3", notes).contains("TLS_RSA_WITH_AES_128_CBC_SHA"));
        assertEquals(List.of("TLS_RSA_WITH_AES_256_CBC_SHA256"), wide.select("SHA256+kRSA:!eNULL", notes));
        assertTrue("OpenSSL: explicit selectors include eNULL", wide.select("SHA256+kRSA", notes)
                .contains("TLS_RSA_WITH_NULL_SHA256"));
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
                wide.select("AES128+SHA1:!aNULL", notes));
        List<String> complement = wide.select("COMPLEMENTOFDEFAULT", notes);
        assertTrue(complement.contains("SSL_RSA_WITH_3DES_EDE_CBC_SHA"));
        assertFalse(complement.contains("TLS_RSA_WITH_AES_128_CBC_SHA"));
    }

    @Test
    public void secLevelIsAcceptedWithANote() {
        List<String> n = new ArrayList<>();
        assertFalse(jdk.select("HIGH:@SECLEVEL=2", n).isEmpty());
        assertEquals(1, n.size());
        assertTrue(n.get(0).contains("@SECLEVEL=2"));
    }

    @Test
    public void unknownWordsAreIgnoredButNothingAtAllIsAnError() {
        assertFalse(jdk.select("HIGH:FOOBAR", notes).isEmpty());
        try {
            jdk.select("FOOBAR:!EXPORT", notes);
            fail();
        } catch (ConfigException e) {
            assertEquals("TLSCipherSuite", e.getDirective());
            assertEquals("unable to use ciphersuite 'FOOBAR:!EXPORT': no cipher match", e.getReason());
        }
    }

    @Test
    public void tls13List() {
        assertEquals(List.of("TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"),
                jdk.selectTls13("TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256", notes));
        List<String> n = new ArrayList<>();
        assertEquals(List.of("TLS_AES_256_GCM_SHA384"), jdk.selectTls13("TLS_AES_128_CCM_8_SHA256:TLS_AES_256_GCM_SHA384", n));
        assertEquals(1, n.size());
        try {
            jdk.selectTls13("TLS_FOO", notes);
            fail();
        } catch (ConfigException e) {
            assertEquals("unable to use ciphersuite 'TLS_FOO': no cipher match", e.getReason());
        }
        assertFalse(jdk.defaultTls13().isEmpty());
    }
}
