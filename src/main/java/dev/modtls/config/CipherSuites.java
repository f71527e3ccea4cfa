package dev.modtls.config;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * OpenSSL cipher strings ({@code TLSCipherSuite}) evaluated against the suites the running JDK supports. The JDK
 * only takes explicit lists of suite names, so the OpenSSL grammar is re-implemented here: elements separated by
 * {@code :}, {@code ,} or blanks; {@code !X} removes for good, {@code -X} removes, {@code +X} moves to the end,
 * {@code X+Y} selects the intersection, {@code @STRENGTH} sorts by key length, {@code @SECLEVEL=n} is accepted and
 * ignored (with a note). Unknown words select nothing, as in OpenSSL; a list that selects nothing at all is an error.
 * {@code DEFAULT} is the JDK's default-enabled set (the JDK's own policy plays the part of OpenSSL's default).
 */
public final class CipherSuites {
    private static final String D = "TLSCipherSuite";
    private static volatile CipherSuites jdk;

    /** Every supported suite, JDK default-enabled ones first, each group in the JDK's preference order. */
    private final List<CipherSuiteInfo> suites;
    private final Set<String> defaultEnabled;
    private final Map<String, CipherSuiteInfo> byName = new LinkedHashMap<>();

    /** The table of the running JDK. */
    public static CipherSuites jdk() {
        CipherSuites t = jdk;
        if (t == null) {
            try {
                SSLContext ctx = SSLContext.getDefault();
                t = new CipherSuites(List.of(ctx.getSupportedSSLParameters().getCipherSuites()),
                        List.of(ctx.getDefaultSSLParameters().getCipherSuites()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no default SSLContext", e);
            }
            jdk = t;
        }
        return t;
    }

    /** A table over the given suite names (JDK spelling); for tests and for other providers. */
    public CipherSuites(List<String> supported, List<String> enabledByDefault) {
        List<CipherSuiteInfo> first = new ArrayList<>();
        List<CipherSuiteInfo> rest = new ArrayList<>();
        Set<String> supportedSet = new HashSet<>(supported);
        for (String n : enabledByDefault) {
            CipherSuiteInfo i = supportedSet.contains(n) ? CipherSuiteInfo.of(n) : null;
            if (i != null) {
                first.add(i);
            }
        }
        Set<String> def = new HashSet<>();
        first.forEach(i -> def.add(i.jdkName()));
        for (String n : supported) {
            CipherSuiteInfo i = def.contains(n) ? null : CipherSuiteInfo.of(n);
            if (i != null) {
                rest.add(i);
            }
        }
        List<CipherSuiteInfo> all = new ArrayList<>(first);
        all.addAll(rest);
        this.suites = List.copyOf(all);
        this.defaultEnabled = Set.copyOf(def);
        for (CipherSuiteInfo i : suites) {
            byName.put(i.jdkName(), i);
            byName.putIfAbsent(i.openSslName().toUpperCase(Locale.ROOT), i);
        }
    }

    /** Every supported suite (TLS 1.3 ones included), default-enabled ones first. */
    public List<CipherSuiteInfo> all() {
        return suites;
    }

    /** The suite with this JDK or OpenSSL name, or null. */
    public CipherSuiteInfo find(String name) {
        CipherSuiteInfo i = byName.get(name);
        return i != null ? i : byName.get(name.toUpperCase(Locale.ROOT));
    }

    /** OpenSSL's name of a JDK suite, e.g. {@code ECDHE-RSA-AES256-GCM-SHA384}; TLS 1.3 names are unchanged. */
    public static String openSslName(String jdkSuite) {
        CipherSuiteInfo i = CipherSuiteInfo.of(jdkSuite);
        return i == null ? jdkSuite : i.openSslName();
    }

    /** The symmetric key length of a JDK suite in bits (e.g. 256, 128), as mod_tls logs it; 0 when unknown. */
    public static int bits(String jdkSuite) {
        CipherSuiteInfo i = CipherSuiteInfo.of(jdkSuite);
        return i == null ? 0 : i.bits();
    }

    /**
     * Evaluates a TLS ≤1.2 cipher string (already carrying mod_tls's {@code :!EXPORT}, if any) into JDK suite names
     * in preference order. {@code notes} receives remarks for the start-up log (ignored words, @SECLEVEL).
     *
     * @throws ConfigException {@code "unable to use ciphersuite '<list>': no cipher match"} when nothing is selected
     */
    public List<String> select(String cipherList, List<String> notes) {
        List<CipherSuiteInfo> candidates = new ArrayList<>();
        for (CipherSuiteInfo i : suites) {
            if (!i.tls13()) {
                candidates.add(i);
            }
        }
        List<CipherSuiteInfo> active = new ArrayList<>();
        Set<CipherSuiteInfo> killed = new HashSet<>();
        String list = cipherList;
        if (list.startsWith("PROFILE=")) {
            if (list.equals("PROFILE=SYSTEM")) {
                notes.add("TLSCipherSuite: PROFILE=SYSTEM means the JDK's default-enabled suites");
                list = "DEFAULT";
            } else {
                throw noMatch(cipherList);
            }
        }
        for (String element : list.split("[:, ;]+")) {
            if (element.isEmpty()) {
                continue;
            }
            char op = element.charAt(0);
            String selector = (op == '!' || op == '-' || op == '+') ? element.substring(1) : element;
            if (op == '@') {
                String word = element.substring(1);
                if (word.equals("STRENGTH")) {
                    active.sort(Comparator.comparingInt(CipherSuiteInfo::bits).reversed());
                } else if (word.startsWith("SECLEVEL=")) {
                    notes.add("TLSCipherSuite: '" + element + "' ignored: the JDK has no security levels; its "
                            + "jdk.tls.disabledAlgorithms policy applies instead");
                } else {
                    notes.add("TLSCipherSuite: unknown command '" + element + "' ignored");
                }
                continue;
            }
            Predicate<CipherSuiteInfo> p = selector(selector);
            if (p == null) {
                notes.add("TLSCipherSuite: '" + selector + "' matches no cipher suite of this JDK, ignored");
                continue;
            }
            List<CipherSuiteInfo> matched = new ArrayList<>();
            for (CipherSuiteInfo i : candidates) {
                if (p.test(i)) {
                    matched.add(i);
                }
            }
            switch (op) {
                case '!':
                    killed.addAll(matched);
                    active.removeAll(matched);
                    break;
                case '-':
                    active.removeAll(matched);
                    break;
                case '+':
                    List<CipherSuiteInfo> moved = new ArrayList<>();
                    for (CipherSuiteInfo i : active) {
                        if (matched.contains(i)) {
                            moved.add(i);
                        }
                    }
                    active.removeAll(moved);
                    active.addAll(moved);
                    break;
                default:
                    for (CipherSuiteInfo i : matched) {
                        if (!killed.contains(i) && !active.contains(i)) {
                            active.add(i);
                        }
                    }
                    break;
            }
        }
        if (active.isEmpty()) {
            throw noMatch(cipherList);
        }
        List<String> out = new ArrayList<>();
        active.forEach(i -> out.add(i.jdkName()));
        return Collections.unmodifiableList(out);
    }

    /**
     * Evaluates a TLS 1.3 ciphersuite list ({@code TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256}), in order.
     * Names the JDK does not support are skipped with a note; a list that keeps nothing is an error.
     */
    public List<String> selectTls13(String list, List<String> notes) {
        List<String> out = new ArrayList<>();
        for (String name : list.split(":")) {
            if (name.isEmpty()) {
                continue;
            }
            CipherSuiteInfo i = byName.get(name);
            if (i == null || !i.tls13()) {
                notes.add("TLSCipherSuite: TLSv1.3 ciphersuite '" + name + "' is not supported by this JDK, ignored");
            } else if (!out.contains(name)) {
                out.add(name);
            }
        }
        if (out.isEmpty()) {
            throw noMatch(list);
        }
        return Collections.unmodifiableList(out);
    }

    /** The JDK's default-enabled TLS 1.3 suites, in its order. */
    public List<String> defaultTls13() {
        List<String> out = new ArrayList<>();
        for (CipherSuiteInfo i : suites) {
            if (i.tls13() && defaultEnabled.contains(i.jdkName())) {
                out.add(i.jdkName());
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static ConfigException noMatch(String list) {
        return new ConfigException(D, "unable to use ciphersuite '" + list + "': no cipher match");
    }

    /** The predicate for one selector ({@code A+B+C}), or null when a word is unknown (OpenSSL ignores it). */
    private Predicate<CipherSuiteInfo> selector(String selector) {
        Predicate<CipherSuiteInfo> all = i -> true;
        for (String word : selector.split("\\+")) {
            if (word.isEmpty()) {
                return null;
            }
            Predicate<CipherSuiteInfo> p = keyword(word);
            if (p == null) {
                CipherSuiteInfo named = find(word);
                if (named == null || named.tls13()) {
                    return null;
                }
                p = i -> i == named;
            }
            all = all.and(p);
        }
        return all;
    }

    private Predicate<CipherSuiteInfo> keyword(String word) {
        switch (word) {
            case "DEFAULT":
                return i -> defaultEnabled.contains(i.jdkName()) && !i.encryption().equals("NULL");
            case "COMPLEMENTOFDEFAULT":
                return i -> !defaultEnabled.contains(i.jdkName()) && !i.encryption().equals("NULL");
            case "ALL":
                return i -> !i.encryption().equals("NULL");
            case "COMPLEMENTOFALL":
            case "eNULL":
            case "NULL":
                return i -> i.encryption().equals("NULL");
            case "HIGH":
                return strength(CipherSuiteInfo.Strength.HIGH);
            case "MEDIUM":
                return strength(CipherSuiteInfo.Strength.MEDIUM);
            case "LOW":
                return strength(CipherSuiteInfo.Strength.LOW);
            case "EXPORT":
            case "EXP":
            case "EXPORT40":
            case "EXPORT56":
                return strength(CipherSuiteInfo.Strength.EXPORT);
            case "aNULL":
                return au("NULL");
            case "kRSA":
            case "RSA":
                return kx("RSA");
            case "aRSA":
                return au("RSA");
            case "aDSS":
            case "DSS":
                return au("DSS");
            case "aECDSA":
            case "ECDSA":
                return au("ECDSA");
            case "kECDHE":
            case "kEECDH":
                return kx("ECDHE");
            case "ECDHE":
            case "EECDH":
                return kx("ECDHE").and(au("NULL").negate());
            case "AECDH":
                return kx("ECDHE").and(au("NULL"));
            case "ECDH":
                return kx("ECDHE").or(kx("ECDH"));
            case "kECDH":
            case "kECDHr":
            case "kECDHe":
            case "aECDH":
                return kx("ECDH");
            case "kDHE":
            case "kEDH":
            case "DH":
                return kx("DHE");
            case "DHE":
            case "EDH":
                return kx("DHE").and(au("NULL").negate());
            case "ADH":
                return kx("DHE").and(au("NULL"));
            case "PSK":
            case "aPSK":
                return au("PSK");
            case "kPSK":
                return kx("PSK");
            case "AES":
                return enc("AES");
            case "AES128":
                return enc("AES").and(i -> i.bits() == 128);
            case "AES256":
                return enc("AES").and(i -> i.bits() == 256);
            case "AESGCM":
                return enc("AES").and(mode("GCM"));
            case "AESCCM":
                return enc("AES").and(mode("CCM").or(mode("CCM8")));
            case "AESCCM8":
                return enc("AES").and(mode("CCM8"));
            case "CHACHA20":
                return enc("CHACHA20");
            case "CAMELLIA":
                return enc("CAMELLIA");
            case "CAMELLIA128":
                return enc("CAMELLIA").and(i -> i.bits() == 128);
            case "CAMELLIA256":
                return enc("CAMELLIA").and(i -> i.bits() == 256);
            case "ARIA":
                return enc("ARIA");
            case "3DES":
                return enc("3DES");
            case "DES":
                return enc("DES");
            case "RC4":
                return enc("RC4");
            case "SEED":
                return enc("SEED");
            case "IDEA":
                return enc("IDEA");
            case "MD5":
                return mac("MD5");
            case "SHA1":
            case "SHA":
                return mac("SHA1");
            case "SHA256":
                return mac("SHA256");
            case "SHA384":
                return mac("SHA384");
            case "TLSv1.2":
                return CipherSuiteInfo::requiresTls12;
            case "TLSv1":
            case "TLSv1.0":
            case "SSLv3":
                return i -> !i.requiresTls12();
            default:
                return null;
        }
    }

    private static Predicate<CipherSuiteInfo> strength(CipherSuiteInfo.Strength s) {
        return i -> i.strength() == s;
    }

    private static Predicate<CipherSuiteInfo> kx(String kx) {
        return i -> i.keyExchange().equals(kx);
    }

    private static Predicate<CipherSuiteInfo> au(String au) {
        return i -> i.authentication().equals(au);
    }

    private static Predicate<CipherSuiteInfo> enc(String enc) {
        return i -> i.encryption().equals(enc);
    }

    private static Predicate<CipherSuiteInfo> mode(String mode) {
        return i -> i.mode().equals(mode);
    }

    private static Predicate<CipherSuiteInfo> mac(String mac) {
        return i -> i.mac().equals(mac);
    }

    /** Whether the JDK enables this suite by default. */
    public boolean enabledByDefault(String jdkSuite) {
        return defaultEnabled.contains(jdkSuite);
    }
}
