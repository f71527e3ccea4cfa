package dev.modtls.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code TLSRenegotiate} (spec §6.1). The default (directive absent) requests no renegotiation, allows 30 s and does
 * not require completion; {@code none} zeroes everything and also refuses client-initiated renegotiations.
 */
public final class RenegotiationSettings {
    public static final RenegotiationSettings DEFAULT =
            new RenegotiationSettings(Duration.ZERO, 0, Duration.ofSeconds(30), false, false);
    public static final RenegotiationSettings NONE =
            new RenegotiationSettings(Duration.ZERO, 0, Duration.ZERO, false, true);

    private final Duration ctrlInterval;
    private final long dataLimitBytes;
    private final Duration timeout;
    private final boolean required;
    private final boolean none;

    private RenegotiationSettings(Duration ctrlInterval, long dataLimitBytes, Duration timeout, boolean required,
            boolean none) {
        this.ctrlInterval = ctrlInterval;
        this.dataLimitBytes = dataLimitBytes;
        this.timeout = timeout;
        this.required = required;
        this.none = none;
    }

    /**
     * Parses the arguments of one {@code TLSRenegotiate} line with mod_tls's messages. Keywords are case-sensitive;
     * {@code none} is not. Unlike mod_tls (which uses atoi), a non-numeric {@code ctrl} value is refused rather than
     * read as 0, and an odd number of words is refused rather than read past the end.
     */
    public static RenegotiationSettings parse(List<String> args) {
        String d = "TLSRenegotiate";
        if (args.isEmpty() || args.size() > 8) {
            throw new ConfigException(d, "wrong number of parameters");
        }
        if (args.get(0).equalsIgnoreCase("none")) {
            if (args.size() != 1) {
                throw new ConfigException(d, "wrong number of parameters");
            }
            return NONE;
        }
        long ctrl = 0;
        long dataKb = 0;
        long timeout = 0;
        boolean required = true;
        for (int i = 0; i < args.size(); i += 2) {
            String key = args.get(i);
            if (!key.equals("ctrl") && !key.equals("data") && !key.equals("required") && !key.equals("timeout")) {
                throw new ConfigException(d, "unknown TLSRenegotiate argument '" + key + "'");
            }
            if (i + 1 >= args.size()) {
                throw new ConfigException(d, "wrong number of parameters");
            }
            String value = args.get(i + 1);
            switch (key) {
                case "ctrl":
                    ctrl = number(value, d, "ctrl must be valid number: '" + value + "'");
                    break;
                case "data":
                    dataKb = number(value, d, "data must be valid number: '" + value + "'");
                    break;
                case "required":
                    Boolean b = ConfigBooleans.parse(value);
                    if (b == null) {
                        throw new ConfigException(d, "required must be a Boolean value: '" + value + "'");
                    }
                    required = b;
                    break;
                default: // timeout
                    String reason = "timeout must be greater than zero: '" + value + "'";
                    long secs;
                    try {
                        secs = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new ConfigException(d, reason);
                    }
                    if (secs <= 0) {
                        throw new ConfigException(d, reason);
                    }
                    timeout = secs;
                    break;
            }
        }
        if (timeout == 0) {
            timeout = DEFAULT.timeout.getSeconds();
        }
        return new RenegotiationSettings(Duration.ofSeconds(ctrl), dataKb * 1024, Duration.ofSeconds(timeout),
                required, false);
    }

    private static long number(String value, String directive, String reason) {
        if (value.isEmpty() || !value.chars().allMatch(Character::isDigit)) {
            throw new ConfigException(directive, reason);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(directive, reason);
        }
    }

    /** Interval of server-requested control renegotiations (TLS 1.3: KeyUpdate); zero = never. */
    public Duration ctrlInterval() {
        return ctrlInterval;
    }

    /** Bytes of one transfer after which the data channel is renegotiated; zero = never. */
    public long dataLimitBytes() {
        return dataLimitBytes;
    }

    /** Time the client has to complete a requested renegotiation. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether a renegotiation not completed within {@link #timeout()} ends the TLS session. */
    public boolean required() {
        return required;
    }

    /** {@code TLSRenegotiate none}: no renegotiation at all, client-initiated ones included, are accepted. */
    public boolean refuseAll() {
        return none;
    }

    @Override
    public String toString() {
        if (none) {
            return "none";
        }
        return "ctrl " + ctrlInterval.getSeconds() + " data " + (dataLimitBytes / 1024) + " required "
                + (required ? "on" : "off") + " timeout " + timeout.getSeconds();
    }
}
