package dev.modtls.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * The TLS state of one FTP session (spec §0.1), immutable: every change gives a new state. The mechanism being set is
 * mod_tls's {@code rfc2228_mech = "TLS"}: PBSZ, PROT, CCC and SSCN act only then.
 */
public final class SessionState {
    public static final SessionState INITIAL = new SessionState(false, false, false, false, false, null);

    private final boolean ctrlProtected;
    private final boolean dataProtRequested;
    private final boolean pbszSeen;
    private final boolean cccDone;
    private final boolean sscnClient;
    private final AuthMechanism mechanism;

    private SessionState(boolean ctrlProtected, boolean dataProtRequested, boolean pbszSeen, boolean cccDone,
            boolean sscnClient, AuthMechanism mechanism) {
        this.ctrlProtected = ctrlProtected;
        this.dataProtRequested = dataProtRequested;
        this.pbszSeen = pbszSeen;
        this.cccDone = cccDone;
        this.sscnClient = sscnClient;
        this.mechanism = mechanism;
    }

    /** TLS is active on the control connection. */
    public boolean ctrlProtected() {
        return ctrlProtected;
    }

    /** Data connections get a TLS handshake (PROT P, AUTH SSL/TLS-P, implicit mode). */
    public boolean dataProtRequested() {
        return dataProtRequested;
    }

    /** PBSZ (or a successful PROT) was seen; informational only. */
    public boolean pbszSeen() {
        return pbszSeen;
    }

    /** CCC succeeded: blocks AUTH, skips the data session-reuse check, PROT stays allowed. */
    public boolean cccDone() {
        return cccDone;
    }

    /** {@code SSCN ON}: the server is the TLS client on data connections. */
    public boolean sscnClient() {
        return sscnClient;
    }

    /** How TLS was started; empty before AUTH (mod_tls: {@code rfc2228_mech} unset). */
    public Optional<AuthMechanism> mechanism() {
        return Optional.ofNullable(mechanism);
    }

    /** Whether a TLS mechanism is in effect (the precondition of PBSZ, PROT, CCC and SSCN). */
    public boolean tlsMechanism() {
        return mechanism != null;
    }

    public SessionState withCtrlProtected(boolean v) {
        return new SessionState(v, dataProtRequested, pbszSeen, cccDone, sscnClient, mechanism);
    }

    public SessionState withDataProtRequested(boolean v) {
        return new SessionState(ctrlProtected, v, pbszSeen, cccDone, sscnClient, mechanism);
    }

    public SessionState withPbszSeen(boolean v) {
        return new SessionState(ctrlProtected, dataProtRequested, v, cccDone, sscnClient, mechanism);
    }

    public SessionState withCccDone(boolean v) {
        return new SessionState(ctrlProtected, dataProtRequested, pbszSeen, v, sscnClient, mechanism);
    }

    public SessionState withSscnClient(boolean v) {
        return new SessionState(ctrlProtected, dataProtRequested, pbszSeen, cccDone, v, mechanism);
    }

    public SessionState withMechanism(AuthMechanism m) {
        return new SessionState(ctrlProtected, dataProtRequested, pbszSeen, cccDone, sscnClient, m);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionState)) {
            return false;
        }
        SessionState s = (SessionState) o;
        return ctrlProtected == s.ctrlProtected && dataProtRequested == s.dataProtRequested
                && pbszSeen == s.pbszSeen && cccDone == s.cccDone && sscnClient == s.sscnClient
                && mechanism == s.mechanism;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ctrlProtected, dataProtRequested, pbszSeen, cccDone, sscnClient, mechanism);
    }

    @Override
    public String toString() {
        return "SessionState[ctrlProtected=" + ctrlProtected + ", dataProtRequested=" + dataProtRequested
                + ", pbszSeen=" + pbszSeen + ", cccDone=" + cccDone + ", sscn=" + (sscnClient ? "CLIENT" : "SERVER")
                + ", mechanism=" + mechanism + "]";
    }
}
