package dev.modtls.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as ProFTPD accepts them: plain seconds ({@code 300}), {@code HH:MM:SS}, or a number with a unit
 * ({@code 30s}, {@code 5 min} is not one token, so {@code 5min}, {@code 1h}, {@code 2hours}).
 */
public final class Durations {
    private static final Pattern CLOCK = Pattern.compile("(\\d{1,2}):(\\d{1,2}):(\\d{1,2})");
    private static final Pattern NUMBER_UNIT = Pattern.compile("(-?\\d+)([A-Za-z]*)");

    private Durations() {
    }

    /**
     * Parses {@code value} for {@code directive}; errors read as mod_tls's
     * {@code "error parsing timeout value 'X': <reason>"}.
     */
    public static Duration parse(String directive, String value) {
        Matcher clock = CLOCK.matcher(value);
        if (clock.matches()) {
            long secs = Long.parseLong(clock.group(1)) * 3600 + Long.parseLong(clock.group(2)) * 60
                    + Long.parseLong(clock.group(3));
            return Duration.ofSeconds(secs);
        }
        Matcher m = NUMBER_UNIT.matcher(value);
        if (!m.matches()) {
            throw error(directive, value, "Invalid argument");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw error(directive, value, "Numerical result out of range");
        }
        if (n < 0) {
            throw error(directive, value, "Numerical result out of range");
        }
        long unit = unitSeconds(m.group(2).toLowerCase(Locale.ROOT));
        if (unit < 0) {
            throw error(directive, value, "Invalid argument");
        }
        if (n > Integer.MAX_VALUE / unit) {
            throw error(directive, value, "Numerical result out of range");
        }
        return Duration.ofSeconds(n * unit);
    }

    private static long unitSeconds(String unit) {
        switch (unit) {
            case "":
            case "s":
            case "sec":
            case "secs":
            case "second":
            case "seconds":
                return 1;
            case "m":
            case "min":
            case "mins":
            case "minute":
            case "minutes":
                return 60;
            case "h":
            case "hr":
            case "hrs":
            case "hour":
            case "hours":
                return 3600;
            default:
                return -1;
        }
    }

    private static ConfigException error(String directive, String value, String reason) {
        return new ConfigException(directive, "error parsing timeout value '" + value + "': " + reason);
    }
}
