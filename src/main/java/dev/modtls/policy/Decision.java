package dev.modtls.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a command handler must do, as decided by {@link TlsPolicy}: whether the command is accepted, the reply to send
 * (none when the command goes on to its normal handling), the TLSLog lines to write in order, the session's next TLS
 * state, and what to do with the connection after the reply.
 */
public final class Decision {
    /** What the connection must do after the reply is written. */
    public enum Action {
        /** Nothing. */
        NONE,
        /** Start the server TLS handshake on the control connection (after the 234, which is sent in clear). */
        START_TLS,
        /** Shut TLS down on the control connection and continue in clear (after the 200, sent inside TLS). */
        CLEAR_TLS,
        /** Close the session after the reply. */
        DISCONNECT
    }

    private final boolean allowed;
    private final int replyCode;
    private final String replyText;
    private final List<String> logLines;
    private final SessionState nextState;
    private final Action action;
    private final AuthMechanism mechanism;

    private Decision(boolean allowed, int replyCode, String replyText, List<String> logLines,
            SessionState nextState, Action action, AuthMechanism mechanism) {
        this.allowed = allowed;
        this.replyCode = replyCode;
        this.replyText = replyText;
        this.logLines = List.copyOf(logLines);
        this.nextState = nextState;
        this.action = action;
        this.mechanism = mechanism;
    }

    /** The command goes on to its normal handling; no reply from the policy. */
    static Decision proceed(SessionState state) {
        return new Decision(true, 0, null, List.of(), state, Action.NONE, null);
    }

    /** Accepted; the policy's reply is sent. */
    static Decision accept(int code, String text, SessionState next, List<String> log) {
        return new Decision(true, code, text, log, next, Action.NONE, null);
    }

    /** Refused with this reply; the state does not change. */
    static Decision refuse(int code, String text, SessionState state, List<String> log) {
        return new Decision(false, code, text, log, state, Action.NONE, null);
    }

    Decision withLog(String line) {
        List<String> log = new ArrayList<>(logLines);
        log.add(line);
        return new Decision(allowed, replyCode, replyText, log, nextState, action, mechanism);
    }

    Decision withAction(Action a, AuthMechanism m) {
        return new Decision(allowed, replyCode, replyText, logLines, nextState, a, m);
    }

    /** Whether the command is accepted (false: it was refused with {@link #replyCode()}). */
    public boolean allowed() {
        return allowed;
    }

    /** Whether the policy has a reply to send; false when the command proceeds to its normal handling. */
    public boolean hasReply() {
        return replyText != null;
    }

    /** The reply code, or 0 when there is no reply. */
    public int replyCode() {
        return replyCode;
    }

    /** The reply text without the code, or null when there is no reply. */
    public String replyText() {
        return replyText;
    }

    /** TLSLog messages to write, in order. */
    public List<String> logLines() {
        return logLines;
    }

    /** The session's TLS state after this command. */
    public SessionState nextState() {
        return nextState;
    }

    /** What the connection must do after the reply. */
    public Action action() {
        return action;
    }

    /** For AUTH with {@link Action#START_TLS}: the mechanism that was asked for. */
    public Optional<AuthMechanism> mechanism() {
        return Optional.ofNullable(mechanism);
    }

    @Override
    public String toString() {
        return (allowed ? "allowed" : "refused") + (hasReply() ? " " + replyCode + " " + replyText : " (proceed)")
                + " log=" + logLines + " action=" + action + " next=" + nextState;
    }
}
