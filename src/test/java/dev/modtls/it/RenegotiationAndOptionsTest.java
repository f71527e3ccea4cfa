package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.config.ConfigException;
import dev.modtls.testsupport.TestPki;

/**
 * Client-initiated renegotiation on the control channel (mod_tls-spec §6.1: it ends the session unless
 * {@code TLSOptions AllowClientRenegotiations}), driven by {@code openssl s_client}'s {@code R} command over TLS 1.2;
 * and the TLSOptions and TLSRenegotiate settings this build refuses at start instead of ignoring.
 */
public class RenegotiationAndOptionsTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestServer.Builder server() throws Exception {
        return TestServer.builder(TMP.newFolder().toPath(), TestPki.create(TMP.newFolder().toPath()));
    }

    /**
     * s_client renegotiates on a line "R", then sends FEAT (answered before login); a line starting with Q ends
     * s_client itself.
     */
    private static Cli.Result renegotiate(TestServer s) throws Exception {
        Cli.require("openssl");
        // s_client reads its input as it goes: the pauses keep R, FEAT and QUIT apart
        return Cli.run(List.of("sh", "-c", "(sleep 1; echo R; sleep 1; echo FEAT; sleep 1; echo QUIT; sleep 1) | "
                + "openssl s_client -starttls ftp -connect 127.0.0.1:" + s.port() + " -tls1_2 -crlf"), null, 30);
    }

    @Test
    public void clientInitiatedRenegotiationEndsTheSession() throws Exception {
        try (TestServer s = server().start()) {
            Cli.Result r = renegotiate(s);
            assertTrue(r.toString(), (r.stdout + r.stderr).contains("RENEGOTIATING"));
            assertFalse("no reply after the renegotiation: " + r, r.stdout.contains("211 End"));
            Logs.await(s, "warning: client-initiated session renegotiation detected, aborting connection");
        }
    }

    @Test
    public void allowClientRenegotiationsKeepsTheSession() throws Exception {
        try (TestServer s = server().directive("TLSOptions", "AllowClientRenegotiations").start()) {
            Cli.Result r = renegotiate(s);
            assertTrue(r.toString(), (r.stdout + r.stderr).contains("RENEGOTIATING"));
            assertTrue(r.toString(), r.stdout.contains("211 End"));
        }
    }

    @Test
    public void optionsTheJvmCannotHonourStopTheStart() throws Exception {
        for (String option : List.of("UseImplicitSSL", "AllowWeakSecurity", "AllowWeakDH", "NoAutoECDH")) {
            try (TestServer s = server().directive("TLSOptions", option).start()) {
                fail("TLSOptions " + option + " must stop the start");
            } catch (ConfigException expected) {
                assertEquals("TLSOptions", expected.getDirective());
                assertTrue(expected.getMessage(), expected.getMessage().startsWith("TLSOptions: " + option + ": "));
            }
        }
        try (TestServer s = server().directive("TLSRenegotiate", "ctrl", "3600").start()) {
            fail("server-requested renegotiation must stop the start");
        } catch (ConfigException expected) {
            assertEquals("TLSRenegotiate", expected.getDirective());
        }
        // accepted with a note: nothing to act on here
        try (TestServer s = server().directive("TLSOptions", "NoEmptyFragments", "IgnoreSNI").start()) {
            assertEquals(220, s.connect().read().code);
        }
    }
}
