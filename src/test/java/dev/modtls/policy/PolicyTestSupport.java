package dev.modtls.policy;

import static org.junit.Assert.assertEquals;

import dev.modtls.config.TlsSettings;
import java.util.List;

/** Builds policies from directive lines and checks decisions compactly. */
final class PolicyTestSupport {
    private PolicyTestSupport() {
    }

    static TlsPolicy policy(String... lines) {
        TlsSettings.Builder b = TlsSettings.builder().directive("TLSEngine", "on");
        for (String l : lines) {
            b.line(l);
        }
        return new TlsPolicy(b.build());
    }

    /** A session after a successful AUTH TLS. */
    static SessionState afterAuthTls() {
        return SessionState.INITIAL.withCtrlProtected(true).withMechanism(AuthMechanism.TLS);
    }

    /** "code text" of the decision, or "proceed". */
    static String reply(Decision d) {
        return d.hasReply() ? d.replyCode() + " " + d.replyText() : "proceed";
    }

    static void assertDecision(String msg, Decision d, String reply, List<String> log) {
        assertEquals(msg, reply, reply(d));
        assertEquals(msg + " (log)", log, d.logLines());
    }
}
