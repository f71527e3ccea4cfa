package dev.modtls.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLSession;

/**
 * The benchmark's one entry point (bench/run.sh calls it): measures the client's ceiling against {@link TlsSink},
 * starts our server and stock FtpServer in their own JVMs (or takes {@code --target}s), then measures RETR/STOR
 * throughput, the session rate and peak RSS, interleaving the targets round by round so that the noise of a shared
 * machine falls on both alike, and prints the table (also written to the results directory).
 */
public final class Bench {

    private static final long MIB = 1024L * 1024L;
    private static final String USER = "bench";
    private static final String PASSWORD = "bench-password";
    private static final String KEYSTORE_PASSWORD = "bench-keystore";
    private static final String FILE = "modtls-bench.bin";
    private static final String WARMUP_FILE = "modtls-bench-warmup.bin";

    private final Options o;
    private final StringBuilder out = new StringBuilder();
    private final ByteBuffer pattern = ByteBuffer.allocate((int) MIB);
    private final ByteBuffer sinkBuffer = ByteBuffer.allocate((int) MIB);

    private Bench(Options o) {
        this.o = o;
        ThreadLocalRandom.current().nextBytes(pattern.array());
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        new Bench(o).run();
    }

    /** What one target scored. */
    private static final class Figures {
        final Target target;
        final ServerProcess process;
        final List<Double> retr = new ArrayList<>();
        final List<Double> stor = new ArrayList<>();
        double sessionsPerSecond = Double.NaN;
        double sessionSeconds;
        int sessionsDone;
        long peakRssKiB = -1;
        int dataConnections;
        int resumed;
        String tls = "?";
        final List<String> errors = new ArrayList<>();

        Figures(Target target, ServerProcess process) {
            this.target = target;
            this.process = process;
        }

        void count(FtpsClient c) {
            dataConnections += c.dataConnections();
            resumed += c.resumed();
        }
    }

    private void run() throws Exception {
        Files.createDirectories(o.work);
        Path keystore = o.work.resolve("server.p12");
        createKeystore(keystore);
        List<String> jvm = o.jvmFlags;
        header(jvm);

        double[] ceiling;
        try (ServerProcess sink = ServerProcess.start("tls-sink", o.classpath, jvm, TlsSink.class.getName(),
                List.of(keystore.toString(), KEYSTORE_PASSWORD), o.work, "READY ")) {
            int port = Integer.parseInt(sink.readyLineSeen().substring("READY ".length()).trim());
            ceiling = measureCeiling(new Ceiling(port, o.protocol));
        }

        List<Figures> figures = new ArrayList<>();
        List<ServerProcess> started = new ArrayList<>();
        try {
            if (o.ceilingOnly) {
                progress("--ceiling-only: no FTP servers");
            } else if (o.targets.isEmpty()) {
                figures.add(startOurs(keystore, jvm, started));
                figures.add(startStock(keystore, jvm, started));
            } else {
                for (Target t : o.targets) {
                    figures.add(new Figures(t, null));
                }
            }
            if (!figures.isEmpty()) {
                measure(figures);
            }
            for (Figures f : figures) {
                if (f.process != null) {
                    f.peakRssKiB = f.process.peakRssKiB();
                }
            }
        } finally {
            for (ServerProcess p : started) {
                p.close();
            }
        }
        table(ceiling, figures);
        String text = out.toString();
        Files.createDirectories(o.results);
        Path file = o.results.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + ".txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("written to " + file);
    }

    private void header(List<String> jvm) throws IOException {
        say("ftpserver-modtls FTPS benchmark, " + LocalDateTime.now().withNano(0));
        say("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, load average at start "
                + loadAverage() + "; java " + System.getProperty("java.vm.version") + " ("
                + System.getProperty("java.home") + ")");
        say("file " + o.size / MIB + " MiB per transfer (PROT P, PASV, TYPE I; median of " + o.runs + "), "
                + o.sessions + " sequential sessions (AUTH TLS, USER/PASS, PBSZ 0, PROT P, PASV, LIST, QUIT)");
        say("TLS: " + (o.protocol == null ? "client offers TLSv1.2 and TLSv1.3" : "client offers " + o.protocol)
                + "; server JVMs: " + (jvm.isEmpty() ? "(defaults)" : String.join(" ", jvm)));
        if (o.targets.isEmpty()) {
            say("ours: ftpserver-modtls from Spring XML via dev.modtls.main.ModTlsCommandLine, session reuse on data "
                    + "connections " + (o.noReuseRequired ? "NOT required (TLSOptions NoSessionReuseRequired)"
                            : "required (mod_tls default); the client resumes"));
            say("stock: Apache FtpServer 1.2.1, NioListener + SslConfigurationFactory (PKCS#12, TLSv1.2+TLSv1.3)");
        }
        say("");
    }

    private double[] measureCeiling(Ceiling c) throws IOException {
        progress("client ceiling against the TLS sink: warm-up");
        c.download(o.warmupSize, sinkBuffer);
        c.upload(o.warmupSize, pattern);
        List<Double> down = new ArrayList<>();
        List<Double> up = new ArrayList<>();
        for (int r = 0; r < o.runs; r++) {
            down.add(mbps(o.size, c.download(o.size, sinkBuffer)));
            up.add(mbps(o.size, c.upload(o.size, pattern)));
            progress("  ceiling run " + (r + 1) + ": download " + fmt(last(down)) + " MB/s, upload "
                    + fmt(last(up)) + " MB/s");
        }
        return new double[] {median(down), median(up), min(down), max(down), min(up), max(up)};
    }

    private Figures startOurs(Path keystore, List<String> jvm, List<ServerProcess> started) throws Exception {
        Path dir = Files.createDirectories(o.work.resolve("ours"));
        Path home = home(dir);
        int port = FreePort.find();
        Path users = users(dir, home);
        Path xml = dir.resolve("ftpd-bench.xml");
        Files.writeString(xml, OursConfig.xml(port, keystore, KEYSTORE_PASSWORD, dir.resolve("tls.log"), users,
                o.noReuseRequired), StandardCharsets.UTF_8);
        ServerProcess p = ServerProcess.start("ours", o.classpath, jvm, "dev.modtls.main.ModTlsCommandLine",
                List.of(xml.toString()), dir, "FtpServer started");
        started.add(p);
        return new Figures(new Target("ours", "127.0.0.1", port, USER, PASSWORD), p);
    }

    private Figures startStock(Path keystore, List<String> jvm, List<ServerProcess> started) throws Exception {
        Path dir = Files.createDirectories(o.work.resolve("stock"));
        Path home = home(dir);
        int port = FreePort.find();
        ServerProcess p = ServerProcess.start("stock", o.classpath, jvm, StockServer.class.getName(),
                List.of(Integer.toString(port), keystore.toString(), KEYSTORE_PASSWORD,
                        users(dir, home).toString()), dir, "FtpServer started");
        started.add(p);
        return new Figures(new Target("stock", "127.0.0.1", port, USER, PASSWORD), p);
    }

    private void measure(List<Figures> figures) {
        for (Figures f : figures) {
            progress(f.target.name() + ": warm-up");
            attempt(f, () -> {
                FtpsClient c = FtpsClient.login(f.target, ClientTls.newContext(), o.protocol);
                try {
                    SSLSession s = c.controlSession();
                    f.tls = s.getProtocol() + " " + s.getCipherSuite();
                    c.stor(WARMUP_FILE, o.warmupSize, pattern);
                    c.retr(WARMUP_FILE, sinkBuffer);
                    c.delete(WARMUP_FILE);
                    f.count(c);
                } finally {
                    c.quit();
                }
                for (int i = 0; i < o.warmupSessions; i++) {
                    session(f);
                }
            });
        }
        for (int r = 0; r < o.runs; r++) {
            for (Figures f : figures) {
                attempt(f, () -> f.stor.add(transfer(f, true)));
            }
            for (Figures f : figures) {
                attempt(f, () -> f.retr.add(transfer(f, false)));
            }
            StringBuilder line = new StringBuilder("  round " + (r + 1) + ":");
            for (Figures f : figures) {
                line.append(' ').append(f.target.name()).append(" STOR ").append(fmt(lastOrNaN(f.stor)))
                        .append(" RETR ").append(fmt(lastOrNaN(f.retr))).append(" MB/s;");
            }
            progress(line.toString());
        }
        for (Figures f : figures) {
            attempt(f, () -> {
                FtpsClient c = FtpsClient.login(f.target, ClientTls.newContext(), o.protocol);
                try {
                    c.delete(FILE);
                } finally {
                    c.quit();
                }
            });
        }
        int block = Math.max(1, o.sessions / 4);
        for (int done = 0; done < o.sessions; done += block) {
            int n = Math.min(block, o.sessions - done);
            for (Figures f : figures) {
                attempt(f, () -> {
                    long start = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        session(f);
                        f.sessionsDone++;
                    }
                    f.sessionSeconds += (System.nanoTime() - start) / 1e9;
                });
            }
        }
        for (Figures f : figures) {
            if (f.sessionsDone == o.sessions) {
                f.sessionsPerSecond = f.sessionsDone / f.sessionSeconds;
            }
            progress("  " + f.target.name() + ": " + f.sessionsDone + " sessions in " + fmt(f.sessionSeconds) + " s");
        }
    }

    /** One timed transfer of the benchmark file: from PASV to the final 226. Returns MB/s. */
    private double transfer(Figures f, boolean upload) throws IOException {
        FtpsClient c = FtpsClient.login(f.target, ClientTls.newContext(), o.protocol);
        try {
            long start = System.nanoTime();
            if (upload) {
                c.stor(FILE, o.size, pattern);
            } else {
                long got = c.retr(FILE, sinkBuffer);
                if (got != o.size) {
                    throw new IOException("RETR returned " + got + " bytes, expected " + o.size);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            f.count(c);
            return mbps(o.size, seconds);
        } finally {
            c.quit();
        }
    }

    /** One full session with a fresh client context, as a separate client process would open it. */
    private void session(Figures f) throws IOException {
        FtpsClient c = FtpsClient.login(f.target, ClientTls.newContext(), o.protocol);
        try {
            c.list();
            f.count(c);
        } finally {
            c.quit();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void attempt(Figures f, Step step) {
        if (!f.errors.isEmpty()) {
            return; // one failure per target is enough; its figures stay empty
        }
        try {
            step.run();
        } catch (Exception e) {
            f.errors.add(e.toString());
            progress("  " + f.target.name() + " FAILED: " + e);
            e.printStackTrace(System.out);
        }
    }

    private void table(double[] ceiling, List<Figures> figures) {
        say("client ceiling against a TLS sink on loopback (same client code, no FTP): download "
                + fmt(ceiling[0]) + " MB/s (" + fmt(ceiling[2]) + "-" + fmt(ceiling[3]) + "), upload "
                + fmt(ceiling[1]) + " MB/s (" + fmt(ceiling[4]) + "-" + fmt(ceiling[5]) + ")");
        say("");
        String row = "%-14s %12s %12s %12s %14s %16s  %s";
        say(String.format(row, "target", "RETR MB/s", "STOR MB/s", "sessions/s", "peak RSS MiB", "data TLS resumed",
                "TLS"));
        for (Figures f : figures) {
            say(String.format(row, f.target.name(), fmt(medianOrNaN(f.retr)), fmt(medianOrNaN(f.stor)),
                    fmt(f.sessionsPerSecond), f.peakRssKiB < 0 ? "n/a" : fmt(f.peakRssKiB / 1024.0),
                    f.resumed + "/" + f.dataConnections, f.tls));
        }
        Figures ours = find(figures, "ours");
        Figures stock = find(figures, "stock");
        if (ours != null && stock != null) {
            say(String.format(row, "ours/stock", ratio(medianOrNaN(ours.retr), medianOrNaN(stock.retr)),
                    ratio(medianOrNaN(ours.stor), medianOrNaN(stock.stor)),
                    ratio(ours.sessionsPerSecond, stock.sessionsPerSecond),
                    ours.peakRssKiB > 0 && stock.peakRssKiB > 0
                            ? ratio(ours.peakRssKiB, stock.peakRssKiB) : "n/a", "", ""));
            say("targets: RETR and STOR >= 1.30x, sessions/s >= 2.00x");
        }
        say("");
        say("all runs (MB/s, in order):");
        for (Figures f : figures) {
            say("  " + f.target.name() + " RETR " + list(f.retr) + "; STOR " + list(f.stor));
            for (String e : f.errors) {
                say("  " + f.target.name() + " ERROR " + e);
            }
        }
        System.out.println();
        System.out.print(out);
    }

    private static Figures find(List<Figures> figures, String name) {
        for (Figures f : figures) {
            if (f.target.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private void createKeystore(Path keystore) throws IOException, InterruptedException {
        Files.deleteIfExists(keystore);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "bench", "-keyalg", "RSA",
                "-keysize", "2048", "-sigalg", "SHA256withRSA", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                "-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD)
                .redirectErrorStream(true).redirectOutput(o.work.resolve("keytool.out").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed; see " + o.work.resolve("keytool.out"));
        }
    }

    private static Path home(Path dir) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(home.resolve("file-" + i + ".txt"), "listing entry " + i + "\n");
        }
        return home;
    }

    private static Path users(Path dir, Path home) throws IOException {
        Path file = dir.resolve("users.properties");
        String p = "ftpserver.user." + USER + ".";
        Files.writeString(file, p + "userpassword=" + PASSWORD + "\n"
                + p + "homedirectory=" + home.toAbsolutePath() + "\n"
                + p + "enableflag=true\n"
                + p + "writepermission=true\n"
                + p + "idletime=0\n"
                + p + "maxloginnumber=0\n"
                + p + "maxloginperip=0\n"
                + p + "uploadrate=0\n"
                + p + "downloadrate=0\n", StandardCharsets.UTF_8);
        return file;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private void say(String line) {
        out.append(line).append('\n');
    }

    private static void progress(String line) {
        System.out.println(line);
        System.out.flush();
    }

    static double mbps(long bytes, double seconds) {
        return bytes / 1e6 / seconds;
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    private static double medianOrNaN(List<Double> v) {
        return v.isEmpty() ? Double.NaN : median(v);
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static double last(List<Double> v) {
        return v.get(v.size() - 1);
    }

    private static double lastOrNaN(List<Double> v) {
        return v.isEmpty() ? Double.NaN : last(v);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "n/a" : String.format("%.2fx", a / b);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.1f", v);
    }

    private static String list(List<Double> v) {
        List<String> s = new ArrayList<>();
        for (double d : v) {
            s.add(fmt(d));
        }
        return s.isEmpty() ? "-" : String.join(" ", s);
    }

    /** Command-line options; bench/run.sh documents them. */
    static final class Options {
        static final String USAGE = "usage: bench/run.sh [--quick] [--target [name=]host:port:user:password]... "
                + "[--tls TLSv1.2|TLSv1.3] [--runs N] [--size-mib N] [--sessions N] [--no-session-reuse-required] [--ceiling-only]";

        String classpath;
        Path work;
        Path results;
        List<String> jvmFlags = new ArrayList<>();
        final List<Target> targets = new ArrayList<>();
        String protocol;
        int runs = 3;
        long size = 1024 * MIB;
        long warmupSize = 256 * MIB;
        int sessions = 200;
        int warmupSessions = 20;
        boolean noReuseRequired;
        boolean ceilingOnly;

        static Options parse(String[] args) {
            Options o = new Options();
            Map<String, String> seen = new LinkedHashMap<>();
            boolean quick = false;
            Integer sizeMib = null;
            Integer sessions = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick":
                        quick = true;
                        break;
                    case "--ceiling-only":
                        o.ceilingOnly = true;
                        break;
                    case "--no-session-reuse-required":
                        o.noReuseRequired = true;
                        break;
                    case "--target":
                        Target t = Target.parse(value(args, ++i, a));
                        String name = t.name();
                        for (int k = 2; seen.containsKey(name); k++) {
                            name = t.name() + "#" + k;
                        }
                        seen.put(name, a);
                        o.targets.add(new Target(name, t.host(), t.port(), t.user(), t.password()));
                        break;
                    case "--tls":
                        o.protocol = value(args, ++i, a);
                        if (!o.protocol.equals("TLSv1.2") && !o.protocol.equals("TLSv1.3")) {
                            throw new IllegalArgumentException("--tls wants TLSv1.2 or TLSv1.3");
                        }
                        break;
                    case "--runs":
                        o.runs = positive(value(args, ++i, a), a);
                        break;
                    case "--size-mib":
                        sizeMib = positive(value(args, ++i, a), a);
                        break;
                    case "--sessions":
                        sessions = positive(value(args, ++i, a), a);
                        break;
                    case "--classpath":
                        o.classpath = value(args, ++i, a);
                        break;
                    case "--work":
                        o.work = Path.of(value(args, ++i, a)).toAbsolutePath();
                        break;
                    case "--results":
                        o.results = Path.of(value(args, ++i, a)).toAbsolutePath();
                        break;
                    case "--server-jvm-flags":
                        String flags = value(args, ++i, a).trim();
                        o.jvmFlags = flags.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(flags.split("\\s+")));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.classpath == null || o.work == null || o.results == null) {
                throw new IllegalArgumentException("--classpath, --work and --results are set by bench/run.sh");
            }
            if (quick) {
                o.size = 64 * MIB;
                o.warmupSize = 32 * MIB;
                o.sessions = 20;
                o.warmupSessions = 5;
            }
            if (sizeMib != null) {
                o.size = sizeMib * MIB;
                o.warmupSize = Math.min(o.warmupSize, o.size);
            }
            if (sessions != null) {
                o.sessions = sessions;
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String v, String option) {
            try {
                int n = Integer.parseInt(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new IllegalArgumentException(option + " wants a positive number, got " + v);
        }
    }
}
