package dev.modtls.config;

import dev.modtls.policy.TlsOption;
import dev.modtls.policy.TlsRequired;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every mod_tls setting of one listener, parsed and validated, immutable. Built with {@link #builder()}; the
 * builder takes mod_tls directives as they are written in proftpd.conf ({@link Builder#directive} and
 * {@link Builder#line}), plus a few typed settings that mod_tls does not have (key passwords, cache size, server name).
 * File paths are resolved against the base directory but not opened here: reading them is the PKI layer's job.
 */
public final class TlsSettings {
    /** mod_tls's default ≤1.2 cipher list. */
    public static final String DEFAULT_CIPHER_LIST = "DEFAULT:!ADH:!EXPORT:!DES";
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(300);
    public static final int DEFAULT_VERIFY_DEPTH = 9;
    public static final String DEFAULT_SERVER_NAME = "FtpServer";
    /** How often certificate, key, CA and CRL files are checked for changes by default (beyond mod_tls). */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);

    private final boolean engine;
    private final Path logFile;
    private final List<String> protocols;
    private final TlsRequired required;
    private final Set<TlsOption> options;
    private final String cipherList;
    private final String tls13CipherList;
    private final List<String> cipherSuites;
    private final boolean serverCipherPreference;
    private final Duration handshakeTimeout;
    private final Map<String, Path> files;
    private final VerifyClient verifyClient;
    private final int verifyDepth;
    private final List<RevocationCheck> verifyOrder;
    private final VerifyServer verifyServer;
    private final String userName;
    private final SessionCacheSettings sessionCache;
    private final RenegotiationSettings renegotiation;
    private final String masqueradeAddress;
    private final boolean nextProtocol;
    private final boolean useReverseDns;
    private final Duration reloadInterval;
    private final char[] keyPassword;
    private final char[] pkcs12Password;
    private final String serverName;
    private final Path baseDirectory;
    private final List<String> directiveLines;
    private final List<String> notes;

    private TlsSettings(Builder b, List<String> cipherSuites, Set<TlsOption> options, List<String> notes) {
        this.engine = b.engine;
        this.logFile = b.logFile == null ? null : b.resolve(b.logFile);
        this.protocols = b.protocols != null ? b.protocols : TlsProtocols.defaults();
        this.required = b.required;
        this.options = Collections.unmodifiableSet(options);
        this.cipherList = b.cipherList;
        this.tls13CipherList = b.tls13CipherList;
        this.cipherSuites = List.copyOf(cipherSuites);
        this.serverCipherPreference = b.serverCipherPreference;
        this.handshakeTimeout = b.handshakeTimeout;
        Map<String, Path> resolved = new LinkedHashMap<>();
        b.files.forEach((directive, path) -> resolved.put(directive, b.resolve(path)));
        this.files = Collections.unmodifiableMap(resolved);
        this.verifyClient = b.verifyClient;
        this.verifyDepth = b.verifyDepth;
        this.verifyOrder = List.copyOf(b.verifyOrder);
        this.verifyServer = b.verifyServer;
        this.userName = b.userName;
        this.sessionCache = new SessionCacheSettings(b.sessionCacheEnabled, b.sessionCacheSize,
                b.sessionCacheTimeout);
        this.renegotiation = b.renegotiation;
        this.masqueradeAddress = b.masqueradeAddress;
        this.nextProtocol = b.nextProtocol;
        this.useReverseDns = b.useReverseDns;
        this.reloadInterval = b.reloadInterval;
        this.keyPassword = b.keyPassword == null ? null : b.keyPassword.clone();
        this.pkcs12Password = b.pkcs12Password == null ? null : b.pkcs12Password.clone();
        this.serverName = b.serverName;
        this.baseDirectory = b.baseDirectory;
        this.directiveLines = List.copyOf(b.directiveLines);
        this.notes = List.copyOf(notes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code TLSEngine}: when off, every mod_tls handler declines (default off). */
    public boolean engine() {
        return engine;
    }

    /** {@code TLSLog}: the TLS log file; empty when absent or {@code none}. */
    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    /** {@code TLSProtocol} in JDK names, oldest first (default: the JDK's default-enabled TLS versions). */
    public List<String> protocols() {
        return protocols;
    }

    /** {@code TLSRequired} (default off). */
    public TlsRequired required() {
        return required;
    }

    /** {@code TLSOptions}, all lines OR-ed ({@code TLSSessionCache off} adds NoSessionReuseRequired). */
    public Set<TlsOption> options() {
        return options;
    }

    public boolean hasOption(TlsOption option) {
        return options.contains(option);
    }

    /** Whether a protected data connection must reuse the control connection's TLS session (§4.2). */
    public boolean sessionReuseRequired() {
        return !options.contains(TlsOption.NO_SESSION_REUSE_REQUIRED);
    }

    /** The ≤1.2 cipher string as mod_tls uses it (with its appended {@code :!EXPORT}), for log messages. */
    public String cipherList() {
        return cipherList;
    }

    /** The TLS 1.3 ciphersuite list as configured; empty when the JDK's default is used. */
    public Optional<String> tls13CipherList() {
        return Optional.ofNullable(tls13CipherList);
    }

    /** The JDK suites to enable, in preference order: the ≤1.2 selection, then the TLS 1.3 suites. */
    public String[] cipherSuites() {
        return cipherSuites.toArray(new String[0]);
    }

    /** {@code TLSServerCipherPreference} (default on). */
    public boolean serverCipherPreference() {
        return serverCipherPreference;
    }

    /** {@code TLSTimeoutHandshake} (default 300 s); {@link Duration#ZERO} means no limit. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Optional<Path> rsaCertificateFile() {
        return file("TLSRSACertificateFile");
    }

    public Optional<Path> rsaCertificateKeyFile() {
        return file("TLSRSACertificateKeyFile");
    }

    public Optional<Path> ecCertificateFile() {
        return file("TLSECCertificateFile");
    }

    public Optional<Path> ecCertificateKeyFile() {
        return file("TLSECCertificateKeyFile");
    }

    public Optional<Path> pkcs12File() {
        return file("TLSPKCS12File");
    }

    public Optional<Path> certificateChainFile() {
        return file("TLSCertificateChainFile");
    }

    public Optional<Path> caCertificateFile() {
        return file("TLSCACertificateFile");
    }

    public Optional<Path> caCertificatePath() {
        return file("TLSCACertificatePath");
    }

    public Optional<Path> caRevocationFile() {
        return file("TLSCARevocationFile");
    }

    public Optional<Path> caRevocationPath() {
        return file("TLSCARevocationPath");
    }

    /** {@code TLSPassPhraseProvider}: program run once per encrypted key at start. */
    public Optional<Path> passPhraseProvider() {
        return file("TLSPassPhraseProvider");
    }

    /** Whether an RSA or EC certificate or a PKCS#12 bundle is configured (AUTH gets 431 otherwise, §3.1). */
    public boolean certificatesConfigured() {
        return files.containsKey("TLSRSACertificateFile") || files.containsKey("TLSECCertificateFile")
                || files.containsKey("TLSPKCS12File");
    }

    private Optional<Path> file(String directive) {
        return Optional.ofNullable(files.get(directive));
    }

    /** {@code TLSVerifyClient} (default off). */
    public VerifyClient verifyClient() {
        return verifyClient;
    }

    /** {@code TLSVerifyDepth} (default 9). */
    public int verifyDepth() {
        return verifyDepth;
    }

    /** {@code TLSVerifyOrder} (default: CRL only). */
    public List<RevocationCheck> verifyOrder() {
        return verifyOrder;
    }

    /** {@code TLSVerifyServer} (default on). */
    public VerifyServer verifyServer() {
        return verifyServer;
    }

    /** {@code TLSUserName}: {@code CommonName}, {@code EmailSubjAltName} or a dotted OID. */
    public Optional<String> userName() {
        return Optional.ofNullable(userName);
    }

    /** {@code TLSSessionCache} and the cache size. */
    public SessionCacheSettings sessionCache() {
        return sessionCache;
    }

    /** {@code TLSRenegotiate}. */
    public RenegotiationSettings renegotiation() {
        return renegotiation;
    }

    /** {@code TLSMasqueradeAddress}, as written (resolved when the listener starts). */
    public Optional<String> masqueradeAddress() {
        return Optional.ofNullable(masqueradeAddress);
    }

    /** {@code TLSNextProtocol}: offer ALPN protocol {@code ftp} (default on). */
    public boolean nextProtocol() {
        return nextProtocol;
    }

    /**
     * ProFTPD's core {@code UseReverseDNS}, accepted here because the TLSOptions dNSNameRequired and CommonNameRequired
     * depend on it. Default <b>off</b> (ProFTPD's is on): FtpServer never resolves client names, and a blocking
     * lookup per connection is a cost a deployment should choose. Off disables those two options with mod_tls's
     * "reverse DNS off, disabling TLSOption ..." lines.
     */
    public boolean useReverseDns() {
        return useReverseDns;
    }

    /**
     * {@code TLSCertificateReload} (beyond mod_tls): how often the certificate, key, chain, CA and CRL files are
     * checked for changes, so that renewed files serve new handshakes without a restart; {@link Duration#ZERO} means
     * never (default 2 s).
     */
    public Duration reloadInterval() {
        return reloadInterval;
    }

    /** Pass phrase for encrypted PEM keys (a copy; clear it after use). */
    public Optional<char[]> keyPassword() {
        return Optional.ofNullable(keyPassword == null ? null : keyPassword.clone());
    }

    /** Password of the PKCS#12 bundle (a copy; clear it after use). */
    public Optional<char[]> pkcs12Password() {
        return Optional.ofNullable(pkcs12Password == null ? null : pkcs12Password.clone());
    }

    /** The name used in start-up messages ({@code Server <name>: ...}). */
    public String serverName() {
        return serverName;
    }

    /** The directory relative paths were resolved against. */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /** The directives that were set, in order, as {@code Name arg ...} lines with canonical names (for logs). */
    public List<String> directiveLines() {
        return directiveLines;
    }

    /** Remarks for the start-up log: ignored cipher words, implied options and the like. */
    public List<String> notes() {
        return notes;
    }

    /**
     * Collects directives. Every method throws {@link ConfigException} at once for a bad value, so that an error
     * names the directive where it was written; {@link #build()} checks what needs several directives.
     */
    public static final class Builder {
        private static final Map<String, String> CANONICAL = new LinkedHashMap<>();

        static {
            for (String n : Arrays.asList("TLSEngine", "TLSLog", "TLSProtocol", "TLSRequired", "TLSOptions",
                    "TLSVerifyClient", "TLSVerifyDepth", "TLSVerifyServer", "TLSVerifyOrder", "TLSRenegotiate",
                    "TLSSessionCache", "TLSSessionTickets", "TLSSessionTicketKeys", "TLSCipherSuite",
                    "TLSServerCipherPreference", "TLSRSACertificateFile", "TLSRSACertificateKeyFile",
                    "TLSDSACertificateFile", "TLSDSACertificateKeyFile", "TLSECCertificateFile",
                    "TLSECCertificateKeyFile", "TLSPKCS12File", "TLSCertificateChainFile", "TLSCACertificateFile",
                    "TLSCACertificatePath", "TLSCARevocationFile", "TLSCARevocationPath", "TLSPassPhraseProvider",
                    "TLSTimeoutHandshake", "TLSUserName", "TLSMasqueradeAddress", "TLSECDHCurve", "TLSDHParamFile",
                    "TLSNextProtocol", "TLSStapling", "TLSStaplingCache", "TLSStaplingOptions",
                    "TLSStaplingResponder", "TLSStaplingTimeout", "TLSPreSharedKey", "TLSRandomSeed",
                    "TLSCryptoDevice", "TLSServerInfoFile", "TLSControlsACLs", "UseReverseDNS",
                    "TLSCertificateReload")) {
                CANONICAL.put(n.toLowerCase(Locale.ROOT), n);
            }
        }

        private boolean engine;
        private String logFile;
        private List<String> protocols;
        private TlsRequired required = TlsRequired.OFF;
        private final EnumSet<TlsOption> options = EnumSet.noneOf(TlsOption.class);
        private String cipherList = DEFAULT_CIPHER_LIST;
        private String tls13CipherList;
        private boolean serverCipherPreference = true;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        /** Paths as written; resolved against the base directory when built. */
        private final Map<String, String> files = new LinkedHashMap<>();
        private VerifyClient verifyClient = VerifyClient.OFF;
        private int verifyDepth = DEFAULT_VERIFY_DEPTH;
        private List<RevocationCheck> verifyOrder = List.of(RevocationCheck.CRL);
        private VerifyServer verifyServer = VerifyServer.ON;
        private String userName;
        private boolean sessionCacheEnabled = true;
        private int sessionCacheSize = SessionCacheSettings.DEFAULT_SIZE;
        private Duration sessionCacheTimeout = SessionCacheSettings.DEFAULT_TIMEOUT;
        private RenegotiationSettings renegotiation = RenegotiationSettings.DEFAULT;
        private String masqueradeAddress;
        private boolean nextProtocol = true;
        private boolean useReverseDns;
        private Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;
        private char[] keyPassword;
        private char[] pkcs12Password;
        private String serverName = DEFAULT_SERVER_NAME;
        private Path baseDirectory = Paths.get("").toAbsolutePath();
        private final List<String> directiveLines = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        private Builder() {
        }

        /** Relative file paths resolve against this directory (default: the working directory). */
        public Builder baseDirectory(Path dir) {
            this.baseDirectory = dir.toAbsolutePath().normalize();
            return this;
        }

        /** Pass phrase for encrypted PEM private keys. */
        public Builder keyPassword(char[] password) {
            this.keyPassword = password == null ? null : password.clone();
            return this;
        }

        /** Password of the {@code TLSPKCS12File} bundle. */
        public Builder pkcs12Password(char[] password) {
            this.pkcs12Password = password == null ? null : password.clone();
            return this;
        }

        /** The server's name in start-up messages (mod_tls uses ServerName). */
        public Builder serverName(String name) {
            if (name == null || name.isBlank()) {
                throw new ConfigException("serverName", "must not be empty");
            }
            this.serverName = name;
            return this;
        }

        /** Maximum number of sessions in the internal session cache (default 20480). */
        public Builder sessionCacheSize(int size) {
            if (size < 1) {
                throw new ConfigException("TLSSessionCache", "cache size must be at least 1: " + size);
            }
            this.sessionCacheSize = size;
            return this;
        }

        /**
         * One line of a proftpd.conf {@code <IfModule mod_tls.c>} section: words split on blanks, double quotes
         * group words. Blank and comment lines are ignored; so are {@code <IfModule mod_tls.c>} and its closing tag.
         */
        public Builder line(String directiveLine) {
            List<String> words = DirectiveLine.tokenize(directiveLine);
            if (words.isEmpty()) {
                return this;
            }
            String first = words.get(0);
            if (first.equalsIgnoreCase("<IfModule") || first.equalsIgnoreCase("</IfModule>")) {
                return this;
            }
            return directive(first, words.subList(1, words.size()).toArray(new String[0]));
        }

        /**
         * One mod_tls directive: its name (any case) and the words that follow it on its proftpd.conf line.
         *
         * @throws ConfigException naming the directive, with mod_tls's wording
         */
        public Builder directive(String name, String... args) {
            String canonical = name == null ? null : CANONICAL.get(name.toLowerCase(Locale.ROOT));
            if (canonical == null) {
                throw new ConfigException(String.valueOf(name), "unknown directive");
            }
            List<String> a = args == null ? List.of() : List.of(args);
            apply(canonical, a);
            StringBuilder line = new StringBuilder(canonical);
            for (String w : a) {
                line.append(' ').append(w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)
                        ? '"' + w.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : w);
            }
            directiveLines.add(line.toString());
            return this;
        }

        private void apply(String d, List<String> a) {
            switch (d) {
                case "TLSEngine":
                    engine = bool(d, args(d, a, 1).get(0));
                    break;
                case "TLSLog":
                    String log = args(d, a, 1).get(0);
                    logFile = log.equalsIgnoreCase("none") ? null : log;
                    break;
                case "TLSProtocol":
                    protocols = TlsProtocols.parse(a);
                    break;
                case "TLSRequired":
                    required = TlsRequired.parse(args(d, a, 1).get(0));
                    break;
                case "TLSOptions":
                    if (a.isEmpty()) {
                        throw new ConfigException(d, "wrong number of parameters");
                    }
                    EnumSet<TlsOption> line = EnumSet.noneOf(TlsOption.class);
                    for (String o : a) {
                        line.add(TlsOption.forName(o).orElseThrow(
                                () -> new ConfigException(d, "unknown TLSOption '" + o + "'")));
                    }
                    options.addAll(line);
                    break;
                case "TLSCipherSuite":
                    cipherSuite(a);
                    break;
                case "TLSServerCipherPreference":
                    serverCipherPreference = bool(d, args(d, a, 1).get(0));
                    break;
                case "TLSTimeoutHandshake":
                    handshakeTimeout = Durations.parse(d, args(d, a, 1).get(0));
                    break;
                case "TLSRSACertificateKeyFile":
                case "TLSECCertificateKeyFile":
                    String key = args(d, a, 1).get(0);
                    if (key.regionMatches(true, 0, "pkcs11:", 0, 7)) {
                        throw new ConfigException(d, "PKCS#11 URIs are not supported; use a key file or a "
                                + "PKCS#12 bundle");
                    }
                    path(d, key);
                    break;
                case "TLSRSACertificateFile":
                case "TLSECCertificateFile":
                case "TLSPKCS12File":
                case "TLSCertificateChainFile":
                case "TLSCACertificateFile":
                case "TLSCACertificatePath":
                case "TLSCARevocationFile":
                case "TLSCARevocationPath":
                case "TLSPassPhraseProvider":
                    path(d, args(d, a, 1).get(0));
                    break;
                case "TLSVerifyClient":
                    String vc = args(d, a, 1).get(0);
                    Boolean vcb = ConfigBooleans.parse(vc);
                    if (vcb == null && !vc.equalsIgnoreCase("optional")) {
                        throw new ConfigException(d, "expected Boolean parameter");
                    }
                    verifyClient = vcb == null ? VerifyClient.OPTIONAL : vcb ? VerifyClient.ON : VerifyClient.OFF;
                    break;
                case "TLSVerifyDepth":
                    verifyDepth = verifyDepth(args(d, a, 1).get(0));
                    break;
                case "TLSVerifyOrder":
                    verifyOrder = verifyOrder(a);
                    break;
                case "TLSVerifyServer":
                    String vs = args(d, a, 1).get(0);
                    Boolean vsb = ConfigBooleans.parse(vs);
                    if (vsb == null && !vs.equalsIgnoreCase("NoReverseDNS")) {
                        throw new ConfigException(d, "expected Boolean parameter");
                    }
                    verifyServer = vsb == null ? VerifyServer.NO_REVERSE_DNS : vsb ? VerifyServer.ON
                            : VerifyServer.OFF;
                    break;
                case "TLSUserName":
                    String un = args(d, a, 1).get(0);
                    if (!un.equals("CommonName") && !un.equals("EmailSubjAltName")
                            && !un.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
                        throw new ConfigException(d, "badly formatted OID parameter");
                    }
                    userName = un;
                    break;
                case "TLSSessionCache":
                    sessionCache(a);
                    break;
                case "TLSRenegotiate":
                    renegotiation = RenegotiationSettings.parse(a);
                    break;
                case "TLSMasqueradeAddress":
                    masqueradeAddress = args(d, a, 1).get(0);
                    break;
                case "TLSNextProtocol":
                    nextProtocol = bool(d, args(d, a, 1).get(0));
                    break;
                case "UseReverseDNS":
                    useReverseDns = bool(d, args(d, a, 1).get(0));
                    break;
                case "TLSCertificateReload":
                    reloadInterval = reloadInterval(d, args(d, a, 1).get(0));
                    break;
                case "TLSSessionTickets":
                    if (bool(d, args(d, a, 1).get(0))) {
                        throw new ConfigException(d, "TLS 1.2 session tickets are not supported: this module "
                                + "relies on the server-side session cache to check data-connection session reuse");
                    }
                    break;
                default:
                    throw new ConfigException(d, refusal(d));
            }
        }

        /** {@code off}, a duration as {@link Durations} reads it, or milliseconds as {@code <n>ms}. */
        private static Duration reloadInterval(String d, String value) {
            Boolean b = ConfigBooleans.parse(value);
            if (Boolean.FALSE.equals(b)) {
                return Duration.ZERO;
            }
            if (b != null) {
                return DEFAULT_RELOAD_INTERVAL;
            }
            if (value.matches("\\d{1,9}ms")) {
                Duration ms = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
                if (ms.toMillis() < 100) {
                    throw new ConfigException(d, "interval must be at least 100ms, or off");
                }
                return ms;
            }
            return Durations.parse(d, value);
        }

        private static String refusal(String d) {
            switch (d) {
                case "TLSCryptoDevice":
                    return "OpenSSL ENGINEs do not exist on the JVM; crypto hardware is configured as a JCA "
                            + "provider of the JVM instead";
                case "TLSRandomSeed":
                    return "the JVM's SecureRandom seeds itself from the operating system; there is no seed file";
                case "TLSServerInfoFile":
                    return "the JDK's TLS implementation cannot send custom TLS extensions (OpenSSL serverinfo)";
                case "TLSPreSharedKey":
                    return "TLS-PSK cipher suites are not available in the JDK's TLS implementation";
                case "TLSDSACertificateFile":
                case "TLSDSACertificateKeyFile":
                    return "DSA certificates are not supported: the JDK cannot use them with TLS 1.3 or any "
                            + "ECDHE cipher suite; use an RSA or EC certificate";
                case "TLSECDHCurve":
                    return "not supported per listener: the JDK's named groups are JVM-wide; set the system "
                            + "property jdk.tls.namedGroups instead";
                case "TLSDHParamFile":
                    return "not supported per listener: the JDK's DHE groups are JVM-wide; set the security "
                            + "property jdk.tls.server.defaultDHEParameters instead";
                case "TLSStapling":
                case "TLSStaplingCache":
                case "TLSStaplingOptions":
                case "TLSStaplingResponder":
                case "TLSStaplingTimeout":
                    return "not supported per listener: OCSP stapling in the JDK is JVM-wide; set the system "
                            + "properties jdk.tls.server.enableStatusRequestExtension and jdk.tls.stapling.* instead";
                case "TLSSessionTicketKeys":
                    return "not supported: TLS 1.2 session tickets are off (see TLSSessionTickets) and the JDK "
                            + "manages TLS 1.3 ticket keys itself";
                case "TLSControlsACLs":
                    return "not supported: there are no ftpdctl control actions (mod_ctrls) in this module";
                default:
                    return "unknown directive";
            }
        }

        private static List<String> args(String d, List<String> a, int n) {
            if (a.size() != n) {
                throw new ConfigException(d, "wrong number of parameters");
            }
            return a;
        }

        private static boolean bool(String d, String word) {
            Boolean b = ConfigBooleans.parse(word);
            if (b == null) {
                throw new ConfigException(d, "expected Boolean parameter");
            }
            return b;
        }

        private void path(String d, String value) {
            if (value.isEmpty()) {
                throw new ConfigException(d, "parameter must not be empty");
            }
            files.put(d, value);
        }

        private Path resolve(String value) {
            return baseDirectory.resolve(value).normalize();
        }

        private static int verifyDepth(String value) {
            int depth;
            try {
                depth = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new ConfigException("TLSVerifyDepth", "depth must be zero or greater");
            }
            if (depth < 0) {
                throw new ConfigException("TLSVerifyDepth", "depth must be zero or greater");
            }
            return depth;
        }

        private static List<RevocationCheck> verifyOrder(List<String> a) {
            if (a.isEmpty() || a.size() > 2) {
                throw new ConfigException("TLSVerifyOrder", "wrong number of parameters");
            }
            List<RevocationCheck> order = new ArrayList<>();
            for (String m : a) {
                RevocationCheck c;
                if (m.equalsIgnoreCase("crl")) {
                    c = RevocationCheck.CRL;
                } else if (m.equalsIgnoreCase("ocsp")) {
                    c = RevocationCheck.OCSP;
                } else {
                    throw new ConfigException("TLSVerifyOrder",
                            "unsupported verification mechanism '" + m + "' requested");
                }
                if (!order.contains(c)) {
                    order.add(c);
                }
            }
            return order;
        }

        private void cipherSuite(List<String> a) {
            String d = "TLSCipherSuite";
            if (a.size() == 1) {
                String list = a.get(0);
                if (list.indexOf('_') >= 0) {
                    throw new ConfigException(d, "use of TLSv1.3 ciphersuite in '" + list
                            + "' requires protocol parameter; use 'TLSCipherSuite TLSv1.3 " + list + "'");
                }
                cipherList = lessThan13(list);
            } else if (a.size() == 2) {
                String proto = a.get(0);
                String list = a.get(1);
                if (proto.equalsIgnoreCase("TLSv1.3")) {
                    CipherSuites.jdk().selectTls13(list, new ArrayList<>());
                    tls13CipherList = list;
                } else if (proto.equalsIgnoreCase("TLSv1.2") || proto.equalsIgnoreCase("TLSv1.1")
                        || proto.equalsIgnoreCase("TLSv1.0")) {
                    cipherList = lessThan13(list);
                } else {
                    throw new ConfigException(d, "unknown/unsupported protocol specifier: " + proto);
                }
            } else {
                throw new ConfigException(d, "wrong number of parameters");
            }
        }

        /** mod_tls appends {@code :!EXPORT} (Bug#4163) except to system profiles, then validates the list. */
        private static String lessThan13(String list) {
            String effective = list.startsWith("PROFILE=") ? list : list + ":!EXPORT";
            CipherSuites.jdk().select(effective, new ArrayList<>());
            return effective;
        }

        private void sessionCache(List<String> a) {
            String d = "TLSSessionCache";
            if (a.isEmpty() || a.size() > 2) {
                throw new ConfigException(d, "wrong number of parameters");
            }
            String spec = a.get(0);
            Boolean b = ConfigBooleans.parse(spec);
            boolean enabled = true;
            if (Boolean.FALSE.equals(b)) {
                enabled = false;
            } else {
                int colon = spec.indexOf(':');
                if (colon < 0) {
                    throw new ConfigException(d, "badly formatted parameter");
                }
                String type = spec.substring(0, colon);
                if (!type.equals("internal")) {
                    throw new ConfigException(d, "session cache type '" + type + "' not available");
                }
            }
            long timeout = SessionCacheSettings.DIRECTIVE_DEFAULT_TIMEOUT.getSeconds();
            if (a.size() == 2) {
                String t = a.get(1);
                try {
                    timeout = Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw new ConfigException(d, "'" + t + "' is not a valid timeout value");
                }
                if (timeout < 1) {
                    throw new ConfigException(d, "timeout be greater than 1");
                }
            }
            sessionCacheEnabled = enabled;
            sessionCacheTimeout = Duration.ofSeconds(timeout);
        }

        /**
         * Checks what needs several directives and evaluates the cipher lists.
         *
         * @throws ConfigException for conflicting settings
         */
        public TlsSettings build() {
            List<String> buildNotes = new ArrayList<>(notes);
            EnumSet<TlsOption> opts = EnumSet.copyOf(options);
            // §2.4: no per-user, per-group, anonymous or per-directory TLSRequired overrides exist in this
            // configuration model yet; when they do, this check applies only if none of them relaxes auth.
            if (opts.contains(TlsOption.ALLOW_PER_USER) && required.authRequired()) {
                throw new ConfigException("TLSOptions", "Server " + serverName
                        + ": cannot enforce both 'TLSRequired auth' and 'TLSOptions AllowPerUser' at the same time");
            }
            if (!sessionCacheEnabled && !opts.contains(TlsOption.NO_SESSION_REUSE_REQUIRED)) {
                opts.add(TlsOption.NO_SESSION_REUSE_REQUIRED);
                buildNotes.add("TLSSessionCache off implies TLSOptions NoSessionReuseRequired");
            }
            CipherSuites table = CipherSuites.jdk();
            List<String> suites = new ArrayList<>(table.select(cipherList, buildNotes));
            suites.addAll(tls13CipherList == null ? table.defaultTls13()
                    : table.selectTls13(tls13CipherList, buildNotes));
            return new TlsSettings(this, suites, opts, buildNotes);
        }
    }
}
