package dev.modtls.policy;

import dev.modtls.config.TlsSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * mod_tls's decisions for one listener, without any I/O: the TLSRequired gate before every command (§2.2 A1–A3) and
 * the replies to AUTH, PBSZ, PROT, CCC and SSCN (§3.1–3.5), with mod_tls's reply texts and TLSLog lines. When mod_tls
 * "declines" a command, the decision carries the core reply the client then sees ({@code 500 <CMD> not understood}).
 * {@code <Limit>} sections are not modelled.
 */
public final class TlsPolicy {
    private static final Set<String> EXEMPT = Set.of("SYST", "AUTH", "FEAT", "HOST", "CLNT", "QUIT");
    private static final Set<String> AUTH_COMMANDS = Set.of("USER", "PASS", "ACCT");
    private static final Set<String> TRANSFER_COMMANDS = Set.of("APPE", "LIST", "MLSD", "NLST", "RETR", "STOR", "STOU");
    private static final String UNWILLING = "Unwilling to accept security parameters";
    private static final List<String> FEAT = List.of(" AUTH TLS", " CCC", " PBSZ", " PROT", " SSCN");

    private final TlsSettings settings;
    private final TlsRequired required;

    public TlsPolicy(TlsSettings settings) {
        this.settings = settings;
        this.required = settings.required();
    }

    /** The settings this policy decides by. */
    public TlsSettings settings() {
        return settings;
    }

    /**
     * The TLSRequired gate that runs before every command (§2.2 A1–A3). A proceeding decision has no reply.
     * Not modelled here yet: A4 (per-directory TLSRequired for transfers) and the AllowPerUser timing of §2.3,
     * which need the user's and the directory's settings; they belong after A3 in this method.
     */
    public Decision preCommand(SessionState state, String verb) {
        String cmd = verb.toUpperCase(Locale.ROOT);
        if (!settings.engine() || EXEMPT.contains(cmd)) {
            return Decision.proceed(state);
        }
        if (AUTH_COMMANDS.contains(cmd) && required.authRequired() && !state.ctrlProtected()) {
            return Decision.refuse(550, "SSL/TLS required on the control channel", state,
                    List.of("SSL/TLS required but absent for authentication, denying " + cmd + " command"));
        }
        if (required.controlRequired() && !state.ctrlProtected()) {
            return Decision.refuse(550, "SSL/TLS required on the control channel", state,
                    List.of("SSL/TLS required but absent on control channel, denying " + cmd + " command"));
        }
        if (TRANSFER_COMMANDS.contains(cmd) && required.dataRequired() && !state.dataProtRequested()) {
            return Decision.refuse(522, "SSL/TLS required on the data channel", state,
                    List.of("SSL/TLS required but absent on data channel, denying " + cmd + " command"));
        }
        return Decision.proceed(state);
    }

    /**
     * AUTH (§3.1 rows 1–9, first match wins). {@code argument} is everything after the verb, as sent (null or empty
     * when there is none). On {@link Decision.Action#START_TLS} the caller sends the reply in clear, runs the
     * handshake, and then calls {@link #authSucceeded} or {@link #authFailed}.
     */
    public Decision auth(SessionState state, String argument, boolean loggedIn, boolean certificatesConfigured) {
        if (!settings.engine()) {
            return notUnderstood(state, "AUTH");
        }
        if (state.ctrlProtected()) {
            return Decision.refuse(503, "Unwilling to accept second AUTH", state,
                    List.of("Unwilling to accept AUTH after AUTH for this session"));
        }
        String arg = argument == null ? "" : argument.strip();
        if (arg.isEmpty()) {
            return Decision.refuse(504, "AUTH requires at least one argument", state, List.of());
        }
        if (state.cccDone()) {
            return Decision.refuse(534, UNWILLING, state, List.of("Unwilling to accept AUTH after CCC for this session"));
        }
        if (!certificatesConfigured) {
            return Decision.refuse(431, "Necessary security resource unavailable", state,
                    List.of("Unable to accept AUTH " + arg + " due to lack of certificates"));
        }
        if (loggedIn && !settings.hasOption(TlsOption.ALLOW_PER_USER)) {
            return Decision.refuse(534, UNWILLING, state, List.of("Unwilling to accept AUTH after USER/PASS "
                    + "authentication for this session unless AllowPerUser TLSOption is used"));
        }
        // mod_tls upper-cases the letters of the first word in place; its later messages show that form.
        String mode = upperLetters(arg.split("\\s+", 2)[0]);
        AuthMechanism mech;
        if (mode.equals("TLS") || mode.equals("TLS-C")) {
            mech = AuthMechanism.TLS;
        } else if (mode.equals("SSL") || mode.equals("TLS-P")) {
            mech = AuthMechanism.SSL;
        } else {
            return Decision.refuse(500, "AUTH not understood", state,
                    List.of("AUTH " + mode + " unsupported, declining"));
        }
        return Decision.accept(234, "AUTH " + mode + " successful", state,
                List.of(mech.logName() + " requested, starting TLS handshake"))
                .withAction(Decision.Action.START_TLS, mech);
    }

    /**
     * Implicit FTPS (§7.1): before the banner, the caller logs this decision's line and runs the handshake, then
     * calls {@link #authSucceeded} or {@link #authFailed} with {@link AuthMechanism#IMPLICIT}.
     */
    public Decision implicitHandshake(SessionState state) {
        return Decision.proceed(state).withAction(Decision.Action.START_TLS, AuthMechanism.IMPLICIT)
                .withLog("TLSOption UseImplicitSSL in effect, starting SSL/TLS handshake");
    }

    /**
     * The control handshake of {@code mechanism} completed: the channel is protected. {@code AUTH SSL}/{@code TLS-P}
     * and implicit FTPS also imply PROT P, unless TLSRequired refuses data protection ({@code !data}). mod_tls sets
     * it for AUTH SSL even then (quirk Q1); we do not, and say so in the TLSLog.
     */
    public Decision authSucceeded(SessionState state, AuthMechanism mechanism) {
        SessionState next = state.withCtrlProtected(true).withMechanism(mechanism);
        List<String> log = new ArrayList<>();
        if (mechanism != AuthMechanism.TLS) {
            if (required.dataRefused()) {
                if (mechanism == AuthMechanism.SSL) {
                    log.add("SSL/TLS-P requested, but TLSRequired does not allow protection for data transfers; "
                            + "data channel left unprotected");
                }
            } else {
                next = next.withDataProtRequested(true);
            }
        }
        return Decision.accept(0, null, next, log);
    }

    /** The control handshake failed: {@code 421 TLS handshake failed} in clear, then the session ends. */
    public Decision authFailed(SessionState state, AuthMechanism mechanism) {
        String line = mechanism == AuthMechanism.IMPLICIT
                ? "implicit SSL/TLS negotiation failed on control channel"
                : mechanism.logName() + " negotiation failed on control channel";
        return Decision.refuse(421, "TLS handshake failed", state, List.of(line))
                .withAction(Decision.Action.DISCONNECT, mechanism);
    }

    /** PBSZ (§3.2). {@code argument} is everything after the verb (null when none). */
    public Decision pbsz(SessionState state, String argument) {
        if (!settings.engine() || !state.tlsMechanism()) {
            return notUnderstood(state, "PBSZ");
        }
        List<String> words = words(argument);
        if (words.size() != 1) {
            return invalidParameters(state);
        }
        if (!state.ctrlProtected()) {
            return Decision.refuse(503, "PBSZ not allowed on insecure control connection", state, List.of());
        }
        String text = words.get(0).equals("0") ? "PBSZ 0 successful" : "PBSZ=0 successful";
        return Decision.accept(200, text, state.withPbszSeen(true), List.of());
    }

    /** PROT (§3.3); the level is case-sensitive. */
    public Decision prot(SessionState state, String argument) {
        if (!settings.engine() || !state.tlsMechanism()) {
            return notUnderstood(state, "PROT");
        }
        List<String> words = words(argument);
        if (words.size() != 1) {
            return invalidParameters(state);
        }
        if (!state.ctrlProtected() && !state.cccDone()) {
            return Decision.refuse(503, "PROT not allowed on insecure control connection", state, List.of());
        }
        String level = words.get(0);
        switch (level) {
            case "C":
                if (required.dataRequired()) {
                    return Decision.refuse(534, UNWILLING, state,
                            List.of("PROT: TLSRequired requires protection for data transfers",
                                    "PROT: unwilling to accept security parameter (C)"));
                }
                return Decision.accept(200, "Protection set to Clear",
                        state.withDataProtRequested(false).withPbszSeen(true), List.of("Protection set to Clear"));
            case "P":
                if (required.dataRefused()) {
                    return Decision.refuse(534, UNWILLING, state,
                            List.of("PROT: TLSRequired does not allow protection for data transfers",
                                    "PROT: unwilling to accept security parameter (P)"));
                }
                return Decision.accept(200, "Protection set to Private",
                        state.withDataProtRequested(true).withPbszSeen(true), List.of("Protection set to Private"));
            case "S":
            case "E":
                return Decision.refuse(536, "PROT " + level + " unsupported", state, List.of());
            default:
                return Decision.refuse(504, "PROT " + level + " unsupported", state, List.of());
        }
    }

    /**
     * CCC (§3.4). On {@link Decision.Action#CLEAR_TLS} the caller writes the 200 inside TLS, then shuts TLS down
     * on the control connection and goes on in clear.
     */
    public Decision ccc(SessionState state, boolean loggedIn) {
        if (!loggedIn) {
            return Decision.refuse(530, "Please login with USER and PASS", state, List.of());
        }
        if (!settings.engine() || !state.tlsMechanism()) {
            return notUnderstood(state, "CCC");
        }
        if (!state.ctrlProtected()) {
            return Decision.refuse(533, "CCC not allowed on insecure control connection", state, List.of());
        }
        if (required.controlRequired()) {
            return Decision.refuse(534, UNWILLING, state, List.of("CCC: unwilling to accept security parameters: "
                    + "TLSRequired setting does not allow for unprotected control channel"));
        }
        return Decision.accept(200, "Clearing control channel protection",
                state.withCtrlProtected(false).withCccDone(true),
                List.of("received CCC, clearing control channel protection"))
                .withAction(Decision.Action.CLEAR_TLS, null);
    }

    /** SSCN (§3.5); {@code argument} is everything after the verb (null when none); ON/OFF are case-sensitive. */
    public Decision sscn(SessionState state, String argument, boolean loggedIn) {
        if (!loggedIn) {
            return Decision.refuse(530, "Please login with USER and PASS", state, List.of());
        }
        if (!settings.engine() || !state.tlsMechanism()) {
            return notUnderstood(state, "SSCN");
        }
        List<String> words = words(argument);
        if (words.size() > 1) {
            return Decision.refuse(504, "SSCN: Invalid argument", state,
                    List.of("denying malformed SSCN command: 'SSCN " + argument.strip() + "'"));
        }
        if (words.isEmpty()) {
            return Decision.accept(200, "SSCN:" + (state.sscnClient() ? "CLIENT" : "SERVER") + " METHOD", state,
                    List.of());
        }
        switch (words.get(0)) {
            case "ON":
                return Decision.accept(200, "SSCN:CLIENT METHOD", state.withSscnClient(true), List.of());
            case "OFF":
                return Decision.accept(200, "SSCN:SERVER METHOD", state.withSscnClient(false), List.of());
            default:
                return Decision.refuse(501, "SSCN: Invalid argument", state,
                        List.of("denying unsupported SSCN command: 'SSCN " + words.get(0) + "'"));
        }
    }

    /** The lines mod_tls adds to FEAT (each with its leading space); none when TLSEngine is off. */
    public List<String> featLines() {
        return settings.engine() ? FEAT : List.of();
    }

    private static Decision notUnderstood(SessionState state, String cmd) {
        return Decision.refuse(500, cmd + " not understood", state, List.of());
    }

    private static Decision invalidParameters(SessionState state) {
        return Decision.refuse(501, "Invalid number of parameters", state, List.of());
    }

    private static List<String> words(String argument) {
        if (argument == null || argument.isBlank()) {
            return List.of();
        }
        return List.of(argument.strip().split("\\s+"));
    }

    private static String upperLetters(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c < 128 && Character.isLetter(c) ? Character.toUpperCase(c) : c);
        }
        return b.toString();
    }
}
