package dev.modtls.policy;

import dev.modtls.config.ConfigBooleans;
import dev.modtls.config.ConfigException;

/**
 * The value of mod_tls's {@code TLSRequired}: three components, as mod_tls stores them (spec §2.1).
 * <ul>
 * <li>{@code ctrl}: 1 when every command needs a protected control channel,</li>
 * <li>{@code data}: +1 when transfers need protection, 0 no requirement, −1 when protection is refused,</li>
 * <li>{@code auth}: 1 when USER, PASS and ACCT need a protected control channel.</li>
 * </ul>
 */
public final class TlsRequired {
    public static final TlsRequired OFF = new TlsRequired("off", 0, 0, 0);

    private final String spelling;
    private final int ctrl;
    private final int data;
    private final int auth;

    private TlsRequired(String spelling, int ctrl, int data, int auth) {
        this.spelling = spelling;
        this.ctrl = ctrl;
        this.data = data;
        this.auth = auth;
    }

    /**
     * Parses a value as mod_tls does: a Boolean (on/off/yes/no/true/false/1/0, any case) or one of the
     * case-sensitive keywords of §2.1. Anything else is {@code "bad parameter"}.
     */
    public static TlsRequired parse(String value) {
        Boolean b = value == null ? null : ConfigBooleans.parse(value);
        if (b != null) {
            return b ? new TlsRequired(value, 1, 1, 1) : new TlsRequired(value, 0, 0, 0);
        }
        if (value != null) {
            switch (value) {
                case "ctrl":
                case "control":
                    return new TlsRequired(value, 1, 0, 1);
                case "data":
                    return new TlsRequired(value, 0, 1, 0);
                case "!data":
                    return new TlsRequired(value, 0, -1, 0);
                case "both":
                case "ctrl+data":
                    return new TlsRequired(value, 1, 1, 1);
                case "ctrl+!data":
                    return new TlsRequired(value, 1, -1, 1);
                case "auth":
                    return new TlsRequired(value, 0, 0, 1);
                case "auth+data":
                    return new TlsRequired(value, 0, 1, 1);
                case "auth+!data":
                    return new TlsRequired(value, 0, -1, 1);
                default:
                    break;
            }
        }
        throw new ConfigException("TLSRequired", "bad parameter");
    }

    /** 1 when every command needs a protected control channel, else 0. */
    public int ctrl() {
        return ctrl;
    }

    /** +1 protection required for transfers, 0 no requirement, −1 protection refused. */
    public int data() {
        return data;
    }

    /** 1 when USER/PASS/ACCT need a protected control channel, else 0. */
    public int auth() {
        return auth;
    }

    public boolean controlRequired() {
        return ctrl == 1;
    }

    public boolean authRequired() {
        return auth == 1;
    }

    public boolean dataRequired() {
        return data == 1;
    }

    public boolean dataRefused() {
        return data == -1;
    }

    /** The value as written in the configuration. */
    public String spelling() {
        return spelling;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsRequired)) {
            return false;
        }
        TlsRequired r = (TlsRequired) o;
        return ctrl == r.ctrl && data == r.data && auth == r.auth;
    }

    @Override
    public int hashCode() {
        return (ctrl * 31 + data) * 31 + auth;
    }

    @Override
    public String toString() {
        return spelling + " (ctrl=" + ctrl + ", data=" + data + ", auth=" + auth + ")";
    }
}
