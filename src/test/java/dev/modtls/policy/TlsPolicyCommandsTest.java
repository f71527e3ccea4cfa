package dev.modtls.policy;

import static dev.modtls.policy.PolicyTestSupport.afterAuthTls;
import static dev.modtls.policy.PolicyTestSupport.assertDecision;
import static dev.modtls.policy.PolicyTestSupport.policy;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.modtls.config.TlsSettings;
import java.util.List;
import org.junit.Test;

/** Every row of spec §3.1 (AUTH), §3.2 (PBSZ), §3.3 (PROT), §3.4 (CCC), §3.5 (SSCN), and FEAT (§3.6). */
public class TlsPolicyCommandsTest {
    private final TlsPolicy off = new TlsPolicy(TlsSettings.builder().build());
    private final TlsPolicy on = policy();
    private final SessionState initial = SessionState.INITIAL;

    // ---- §3.1 AUTH ----

    @Test
    public void auth1EngineOff() {
        assertDecision("row 1", off.auth(initial, "TLS", false, true), "500 AUTH not understood", List.of());
    }

    @Test
    public void auth2SecondAuth() {
        assertDecision("row 2", on.auth(afterAuthTls(), "TLS", false, true), "503 Unwilling to accept second AUTH",
                List.of("Unwilling to accept AUTH after AUTH for this session"));
        SessionState implicit = initial.withCtrlProtected(true).withMechanism(AuthMechanism.IMPLICIT);
        assertDecision("row 2 implicit", on.auth(implicit, "TLS", false, true),
                "503 Unwilling to accept second AUTH", List.of("Unwilling to accept AUTH after AUTH for this session"));
    }

    @Test
    public void auth3NoArgument() {
        assertDecision("row 3", on.auth(initial, null, false, true), "504 AUTH requires at least one argument",
                List.of());
        assertDecision("row 3 blank", on.auth(initial, "  ", false, true), "504 AUTH requires at least one argument",
                List.of());
    }

    @Test
    public void auth4AfterCcc() {
        SessionState ccc = afterAuthTls().withCtrlProtected(false).withCccDone(true);
        assertDecision("row 4", on.auth(ccc, "TLS", true, true), "534 Unwilling to accept security parameters",
                List.of("Unwilling to accept AUTH after CCC for this session"));
    }

    @Test
    public void auth5NoCertificates() {
        assertDecision("row 5", on.auth(initial, "tls", false, false), "431 Necessary security resource unavailable",
                List.of("Unable to accept AUTH tls due to lack of certificates"));
    }

    @Test
    public void auth6AfterLoginWithoutAllowPerUser() {
        assertDecision("row 6", on.auth(initial, "TLS", true, true), "534 Unwilling to accept security parameters",
                List.of("Unwilling to accept AUTH after USER/PASS authentication for this session unless "
                        + "AllowPerUser TLSOption is used"));
        Decision perUser = policy("TLSOptions AllowPerUser").auth(initial, "TLS", true, true);
        assertEquals(234, perUser.replyCode());
    }

    @Test
    public void auth7TlsAndTlsC() {
        for (String[] c : new String[][] {{"TLS", "TLS"}, {"tls", "TLS"}, {"Tls-c", "TLS-C"}, {"TLS-C", "TLS-C"}}) {
            Decision d = on.auth(initial, c[0], false, true);
            assertDecision("row 7 " + c[0], d, "234 AUTH " + c[1] + " successful",
                    List.of("TLS/TLS-C requested, starting TLS handshake"));
            assertEquals(Decision.Action.START_TLS, d.action());
            assertEquals(AuthMechanism.TLS, d.mechanism().get());
            assertEquals("state changes only after the handshake", initial, d.nextState());
        }
        SessionState next = on.authSucceeded(initial, AuthMechanism.TLS).nextState();
        assertEquals(afterAuthTls(), next);
        assertFalse(next.dataProtRequested());
    }

    @Test
    public void auth7fHandshakeFailed() {
        Decision d = on.authFailed(initial, AuthMechanism.TLS);
        assertDecision("row 7f", d, "421 TLS handshake failed",
                List.of("TLS/TLS-C negotiation failed on control channel"));
        assertEquals(Decision.Action.DISCONNECT, d.action());
    }

    @Test
    public void auth8SslAndTlsP() {
        for (String[] c : new String[][] {{"SSL", "SSL"}, {"ssl", "SSL"}, {"TLS-P", "TLS-P"}, {"tls-p", "TLS-P"}}) {
            Decision d = on.auth(initial, c[0], false, true);
            assertDecision("row 8 " + c[0], d, "234 AUTH " + c[1] + " successful",
                    List.of("SSL/TLS-P requested, starting TLS handshake"));
            assertEquals(AuthMechanism.SSL, d.mechanism().get());
        }
        Decision ok = on.authSucceeded(initial, AuthMechanism.SSL);
        assertTrue(ok.nextState().ctrlProtected());
        assertTrue("implied PROT P", ok.nextState().dataProtRequested());
        assertEquals(List.of(), ok.logLines());
    }

    @Test
    public void auth8WithNotDataDoesNotImplyProtP_Q1Fixed() {
        for (String req : new String[] {"!data", "auth+!data", "ctrl+!data"}) {
            Decision d = policy("TLSRequired " + req).authSucceeded(initial, AuthMechanism.SSL);
            assertTrue(d.nextState().ctrlProtected());
            assertFalse(req, d.nextState().dataProtRequested());
            assertEquals(List.of("SSL/TLS-P requested, but TLSRequired does not allow protection for data "
                    + "transfers; data channel left unprotected"), d.logLines());
        }
    }

    @Test
    public void auth8fHandshakeFailed() {
        assertDecision("row 8f", on.authFailed(initial, AuthMechanism.SSL), "421 TLS handshake failed",
                List.of("SSL/TLS-P negotiation failed on control channel"));
    }

    @Test
    public void auth9OtherArgumentDeclines() {
        assertDecision("row 9", on.auth(initial, "kerberos", false, true), "500 AUTH not understood",
                List.of("AUTH KERBEROS unsupported, declining"));
        assertDecision("row 9 GSSAPI", on.auth(initial, "GSSAPI", false, true), "500 AUTH not understood",
                List.of("AUTH GSSAPI unsupported, declining"));
    }

    @Test
    public void implicitMode() {
        Decision start = on.implicitHandshake(initial);
        assertEquals(List.of("TLSOption UseImplicitSSL in effect, starting SSL/TLS handshake"), start.logLines());
        assertEquals(Decision.Action.START_TLS, start.action());
        SessionState s = on.authSucceeded(initial, AuthMechanism.IMPLICIT).nextState();
        assertTrue(s.ctrlProtected() && s.dataProtRequested() && s.tlsMechanism());
        SessionState notData = policy("TLSRequired !data").authSucceeded(initial, AuthMechanism.IMPLICIT)
                .nextState();
        assertFalse(notData.dataProtRequested());
        assertDecision("implicit failure", on.authFailed(initial, AuthMechanism.IMPLICIT), "421 TLS handshake failed",
                List.of("implicit SSL/TLS negotiation failed on control channel"));
    }

    // ---- §3.2 PBSZ ----

    @Test
    public void pbsz() {
        assertDecision("before AUTH", on.pbsz(initial, "0"), "500 PBSZ not understood", List.of());
        assertDecision("engine off", off.pbsz(afterAuthTls(), "0"), "500 PBSZ not understood", List.of());
        assertDecision("no argument", on.pbsz(afterAuthTls(), null), "501 Invalid number of parameters", List.of());
        assertDecision("two arguments", on.pbsz(afterAuthTls(), "0 1"), "501 Invalid number of parameters",
                List.of());
        SessionState ccc = afterAuthTls().withCtrlProtected(false).withCccDone(true);
        assertDecision("after CCC (Q13)", on.pbsz(ccc, "0"), "503 PBSZ not allowed on insecure control connection",
                List.of());
        Decision zero = on.pbsz(afterAuthTls(), "0");
        assertDecision("PBSZ 0", zero, "200 PBSZ 0 successful", List.of());
        assertTrue(zero.nextState().pbszSeen());
        assertDecision("PBSZ 1024", on.pbsz(afterAuthTls(), "1024"), "200 PBSZ=0 successful", List.of());
        assertDecision("PBSZ 00", on.pbsz(afterAuthTls(), "00"), "200 PBSZ=0 successful", List.of());
    }

    // ---- §3.3 PROT ----

    @Test
    public void prot() {
        assertDecision("before AUTH", on.prot(initial, "P"), "500 PROT not understood", List.of());
        assertDecision("no argument", on.prot(afterAuthTls(), ""), "501 Invalid number of parameters", List.of());
        SessionState unprotected = initial.withMechanism(AuthMechanism.TLS);
        assertDecision("insecure", on.prot(unprotected, "P"), "503 PROT not allowed on insecure control connection",
                List.of());
        Decision c = on.prot(afterAuthTls().withDataProtRequested(true), "C");
        assertDecision("C", c, "200 Protection set to Clear", List.of("Protection set to Clear"));
        assertFalse(c.nextState().dataProtRequested());
        assertTrue(c.nextState().pbszSeen());
        assertDecision("C, data=1", policy("TLSRequired data").prot(afterAuthTls(), "C"),
                "534 Unwilling to accept security parameters",
                List.of("PROT: TLSRequired requires protection for data transfers",
                        "PROT: unwilling to accept security parameter (C)"));
        Decision p = on.prot(afterAuthTls(), "P");
        assertDecision("P", p, "200 Protection set to Private", List.of("Protection set to Private"));
        assertTrue(p.nextState().dataProtRequested());
        assertTrue(p.nextState().pbszSeen());
        assertDecision("P, data=-1", policy("TLSRequired !data").prot(afterAuthTls(), "P"),
                "534 Unwilling to accept security parameters",
                List.of("PROT: TLSRequired does not allow protection for data transfers",
                        "PROT: unwilling to accept security parameter (P)"));
        assertDecision("S", on.prot(afterAuthTls(), "S"), "536 PROT S unsupported", List.of());
        assertDecision("E", on.prot(afterAuthTls(), "E"), "536 PROT E unsupported", List.of());
        assertDecision("p (Q14)", on.prot(afterAuthTls(), "p"), "504 PROT p unsupported", List.of());
        assertDecision("X", on.prot(afterAuthTls(), "X"), "504 PROT X unsupported", List.of());
        SessionState ccc = afterAuthTls().withCtrlProtected(false).withCccDone(true);
        assertDecision("after CCC (Q13)", on.prot(ccc, "P"), "200 Protection set to Private",
                List.of("Protection set to Private"));
    }

    // ---- §3.4 CCC ----

    @Test
    public void ccc() {
        assertDecision("before login", on.ccc(afterAuthTls(), false), "530 Please login with USER and PASS",
                List.of());
        assertDecision("before login, no TLS", on.ccc(initial, false), "530 Please login with USER and PASS",
                List.of());
        assertDecision("no mechanism", on.ccc(initial, true), "500 CCC not understood", List.of());
        assertDecision("engine off", off.ccc(afterAuthTls(), true), "500 CCC not understood", List.of());
        SessionState cleared = afterAuthTls().withCtrlProtected(false).withCccDone(true);
        assertDecision("second CCC", on.ccc(cleared, true), "533 CCC not allowed on insecure control connection",
                List.of());
        assertDecision("ctrl=1", policy("TLSRequired ctrl").ccc(afterAuthTls(), true),
                "534 Unwilling to accept security parameters",
                List.of("CCC: unwilling to accept security parameters: TLSRequired setting does not allow for "
                        + "unprotected control channel"));
        SessionState protP = afterAuthTls().withDataProtRequested(true);
        Decision ok = policy("TLSRequired auth+data").ccc(protP, true);
        assertDecision("success", ok, "200 Clearing control channel protection",
                List.of("received CCC, clearing control channel protection"));
        assertEquals(Decision.Action.CLEAR_TLS, ok.action());
        assertFalse(ok.nextState().ctrlProtected());
        assertTrue(ok.nextState().cccDone());
        assertTrue("data policy unchanged", ok.nextState().dataProtRequested());
    }

    // ---- §3.5 SSCN ----

    @Test
    public void sscn() {
        assertDecision("before login", on.sscn(afterAuthTls(), null, false), "530 Please login with USER and PASS",
                List.of());
        assertDecision("no mechanism", on.sscn(initial, null, true), "500 SSCN not understood", List.of());
        assertDecision("two args", on.sscn(afterAuthTls(), "ON now", true), "504 SSCN: Invalid argument",
                List.of("denying malformed SSCN command: 'SSCN ON now'"));
        assertDecision("query", on.sscn(afterAuthTls(), null, true), "200 SSCN:SERVER METHOD", List.of());
        Decision onD = on.sscn(afterAuthTls(), "ON", true);
        assertDecision("ON", onD, "200 SSCN:CLIENT METHOD", List.of());
        assertTrue(onD.nextState().sscnClient());
        assertDecision("query client", on.sscn(onD.nextState(), "", true), "200 SSCN:CLIENT METHOD", List.of());
        Decision offD = on.sscn(onD.nextState(), "OFF", true);
        assertDecision("OFF", offD, "200 SSCN:SERVER METHOD", List.of());
        assertFalse(offD.nextState().sscnClient());
        for (String bad : new String[] {"on", "true", "Off", "1"}) {
            assertDecision(bad, on.sscn(afterAuthTls(), bad, true), "501 SSCN: Invalid argument",
                    List.of("denying unsupported SSCN command: 'SSCN " + bad + "'"));
        }
    }

    // ---- §3.6 FEAT ----

    @Test
    public void featLines() {
        assertEquals(List.of(" AUTH TLS", " CCC", " PBSZ", " PROT", " SSCN"), on.featLines());
        assertEquals(List.of(), off.featLines());
    }
}
