package dev.modtls.policy;

import static dev.modtls.policy.PolicyTestSupport.afterAuthTls;
import static dev.modtls.policy.PolicyTestSupport.policy;
import static dev.modtls.policy.PolicyTestSupport.reply;
import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

/**
 * Every cell of the §2.5 matrix: USER/PASS and another command on a clear control channel, and on a protected,
 * logged-in session: LIST without PROT P, PROT C, PROT P, CCC.
 */
public class TlsRequiredMatrixTest {
    private static final String ALLOWED = "allowed";

    // TLSRequired, USER/PASS, other cmds, LIST without PROT P, PROT C, PROT P, CCC
    private static final String[][] MATRIX = {
        {"off", ALLOWED, ALLOWED, ALLOWED, "200", "200", "200"},
        {"on", "550", "550", "522", "534", "200", "534"},
        {"both", "550", "550", "522", "534", "200", "534"},
        {"ctrl+data", "550", "550", "522", "534", "200", "534"},
        {"ctrl", "550", "550", ALLOWED, "200", "200", "534"},
        {"control", "550", "550", ALLOWED, "200", "200", "534"},
        {"ctrl+!data", "550", "550", ALLOWED, "200", "534", "534"},
        {"data", ALLOWED, ALLOWED, "522", "534", "200", "200"},
        {"!data", ALLOWED, ALLOWED, ALLOWED, "200", "534", "200"},
        {"auth", "550", ALLOWED, ALLOWED, "200", "200", "200"},
        {"auth+data", "550", ALLOWED, "522", "534", "200", "200"},
        {"auth+!data", "550", ALLOWED, ALLOWED, "200", "534", "200"},
    };

    @Test
    public void everyCell() {
        for (String[] row : MATRIX) {
            TlsPolicy p = policy("TLSRequired " + row[0]);
            String r = "TLSRequired " + row[0] + ": ";
            for (String verb : new String[] {"USER", "PASS", "ACCT"}) {
                assertEquals(r + verb, row[1], outcome(p.preCommand(SessionState.INITIAL, verb)));
            }
            for (String verb : new String[] {"CWD", "NOOP", "PBSZ", "PROT", "HELP", "STAT", "OPTS", "LANG", "PWD"}) {
                assertEquals(r + verb, row[2], outcome(p.preCommand(SessionState.INITIAL, verb)));
            }
            for (String verb : new String[] {"LIST", "NLST", "MLSD", "RETR", "STOR", "STOU", "APPE"}) {
                assertEquals(r + verb, row[3], outcome(p.preCommand(afterAuthTls(), verb)));
            }
            assertEquals(r + "PROT C", row[4], code(p.prot(afterAuthTls(), "C")));
            assertEquals(r + "PROT P", row[5], code(p.prot(afterAuthTls(), "P")));
            assertEquals(r + "CCC", row[6], code(p.ccc(afterAuthTls(), true)));
        }
    }

    @Test
    public void exemptCommandsPassEvenWithTlsRequiredOn() {
        TlsPolicy p = policy("TLSRequired on");
        for (String verb : new String[] {"SYST", "AUTH", "FEAT", "HOST", "CLNT", "QUIT", "feat"}) {
            assertEquals(verb, "proceed", reply(p.preCommand(SessionState.INITIAL, verb)));
        }
    }

    @Test
    public void gateRepliesAndLogLines() {
        TlsPolicy on = policy("TLSRequired on");
        PolicyTestSupport.assertDecision("USER", on.preCommand(SessionState.INITIAL, "USER"),
                "550 SSL/TLS required on the control channel",
                List.of("SSL/TLS required but absent for authentication, denying USER command"));
        PolicyTestSupport.assertDecision("PBSZ", on.preCommand(SessionState.INITIAL, "pbsz"),
                "550 SSL/TLS required on the control channel",
                List.of("SSL/TLS required but absent on control channel, denying PBSZ command"));
        PolicyTestSupport.assertDecision("LIST", on.preCommand(afterAuthTls(), "LIST"),
                "522 SSL/TLS required on the data channel",
                List.of("SSL/TLS required but absent on data channel, denying LIST command"));
        assertEquals("proceed", reply(on.preCommand(afterAuthTls().withDataProtRequested(true), "RETR")));
        assertEquals("proceed", reply(on.preCommand(afterAuthTls(), "USER")));
    }

    @Test
    public void engineOffAllowsEverything() {
        TlsPolicy p = new TlsPolicy(dev.modtls.config.TlsSettings.builder()
                .directive("TLSEngine", "off").directive("TLSRequired", "on").build());
        for (String verb : new String[] {"USER", "PASS", "LIST", "NOOP"}) {
            assertEquals(verb, "proceed", reply(p.preCommand(SessionState.INITIAL, verb)));
        }
    }

    private static String outcome(Decision d) {
        if (!d.hasReply()) {
            assertEquals(true, d.allowed());
            return ALLOWED;
        }
        return code(d);
    }

    private static String code(Decision d) {
        return String.valueOf(d.replyCode());
    }
}
