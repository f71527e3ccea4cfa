package dev.modtls.config;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * {@code TLSProtocol} (spec §1.1 row 3) mapped onto the JDK's protocol names. mod_tls's default is "every version the
 * library supports"; on the JDK that is what the JDK enables by default (TLS 1.0 and 1.1 are disabled there), so the
 * default is the JDK's default-enabled set.
 */
public final class TlsProtocols {
    /** Every protocol mod_tls knows, oldest first, in JDK spelling. */
    private static final List<String> ORDER = List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    /** What {@code SSLv23} and {@code ALL} mean on a library built without SSLv3 (as modern OpenSSL is). */
    private static final List<String> ALL = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private TlsProtocols() {
    }

    /** The JDK's default-enabled protocols among those mod_tls knows, oldest first. */
    public static List<String> defaults() {
        try {
            List<String> enabled = Arrays.asList(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
            List<String> out = new ArrayList<>();
            for (String p : ALL) {
                if (enabled.contains(p)) {
                    out.add(p);
                }
            }
            return List.copyOf(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSLContext", e);
        }
    }

    /** Parses the words of one {@code TLSProtocol} line into JDK protocol names, oldest first. */
    public static List<String> parse(List<String> args) {
        String d = "TLSProtocol";
        if (args.isEmpty()) {
            throw new ConfigException(d, "wrong number of parameters");
        }
        boolean[] on = new boolean[ORDER.size()];
        if (args.get(0).equalsIgnoreCase("all")) {
            set(on, ALL, true);
            for (String word : args.subList(1, args.size())) {
                boolean enable;
                if (word.startsWith("+")) {
                    enable = true;
                } else if (word.startsWith("-")) {
                    enable = false;
                } else {
                    throw new ConfigException(d, "missing required +/- prefix: " + word);
                }
                List<String> names = names(word.substring(1), false);
                if (names == null) {
                    throw new ConfigException(d, "unknown protocol: '" + word + "'");
                }
                set(on, names, enable);
            }
        } else {
            for (String word : args) {
                List<String> names = names(word, true);
                if (names == null) {
                    throw new ConfigException(d, "unknown protocol: '" + word + "'");
                }
                set(on, names, true);
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < on.length; i++) {
            if (on[i]) {
                out.add(ORDER.get(i));
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException(d, "no protocol left enabled");
        }
        return List.copyOf(out);
    }

    private static List<String> names(String word, boolean allowSslv23) {
        switch (word.toLowerCase(Locale.ROOT)) {
            case "sslv23":
                return allowSslv23 ? ALL : null;
            case "sslv3":
                return List.of("SSLv3");
            case "tlsv1":
            case "tlsv1.0":
                return List.of("TLSv1");
            case "tlsv1.1":
                return List.of("TLSv1.1");
            case "tlsv1.2":
                return List.of("TLSv1.2");
            case "tlsv1.3":
                return List.of("TLSv1.3");
            default:
                return null;
        }
    }

    private static void set(boolean[] on, List<String> names, boolean value) {
        for (String n : names) {
            on[ORDER.indexOf(n)] = value;
        }
    }
}
