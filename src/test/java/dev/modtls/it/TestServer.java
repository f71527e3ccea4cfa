package dev.modtls.it;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;

import dev.modtls.config.TlsSettings;
import dev.modtls.pki.KeyKind;
import dev.modtls.server.ModTlsListener;
import dev.modtls.server.ModTlsServerPostProcessor;
import dev.modtls.server.TlsEngine;
import dev.modtls.testsupport.TestPki;

/**
 * A real FtpServer with our listener and commands on 127.0.0.1 and an ephemeral port, configured with mod_tls
 * directives, for end-to-end tests. One user ({@link #USER}/{@link #PASSWORD}) with a writable home that holds
 * {@code hello.txt}; the TLSLog goes to {@link #tlsLog()}.
 */
public final class TestServer implements Closeable {

    public static final String USER = "alice";
    public static final String PASSWORD = "secret";
    public static final String HELLO = "hello over FTPS\n";

    private final FtpServer server;
    private final int port;
    private int stockPort = -1;
    private final Path home;
    private final Path tlsLog;

    private TestServer(FtpServer server, int port, Path home, Path tlsLog) {
        this.server = server;
        this.port = port;
        this.home = home;
        this.tlsLog = tlsLog;
    }

    /** Starts a server whose certificates come from {@code pki} (RSA and EC) unless {@code withoutCertificates}. */
    public static Builder builder(Path dir, TestPki pki) {
        return new Builder(dir, pki);
    }

    /** Configures and starts a test server. */
    public static final class Builder {
        private final Path dir;
        private final TestPki pki;
        private final List<String[]> directives = new ArrayList<>();
        private boolean certificates = true;
        private boolean stockListener;

        /** Also a stock FtpServer listener (no TLS) on another ephemeral port: see {@link TestServer#stockPort()}. */
        public Builder withStockListener() {
            stockListener = true;
            return this;
        }
        private final java.util.Map<String, String> users = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, org.apache.ftpserver.ftplet.Ftplet> ftplets =
                new java.util.LinkedHashMap<>();

        Builder(Path dir, TestPki pki) {
            this.dir = dir;
            this.pki = pki;
        }

        /** A mod_tls directive, e.g. {@code directive("TLSRequired", "on")}. */
        public Builder directive(String name, String... args) {
            String[] line = new String[args.length + 1];
            line[0] = name;
            System.arraycopy(args, 0, line, 1, args.length);
            directives.add(line);
            return this;
        }

        /** No certificate directives at all (AUTH then gets 431). */
        public Builder withoutCertificates() {
            certificates = false;
            return this;
        }

        /** Another user, with its own home directory {@code <dir>/homes/<name>}. */
        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        /** An Ftplet of the server. */
        public Builder ftplet(String name, org.apache.ftpserver.ftplet.Ftplet ftplet) {
            ftplets.put(name, ftplet);
            return this;
        }

        public TestServer start() throws Exception {
            Path home = Files.createDirectories(dir.resolve("home"));
            Files.writeString(home.resolve("hello.txt"), HELLO, StandardCharsets.US_ASCII);
            Path tlsLog = dir.resolve("tls.log");
            TlsSettings.Builder settings = TlsSettings.builder().baseDirectory(dir)
                    .directive("TLSEngine", "on")
                    .directive("TLSLog", tlsLog.toString());
            if (certificates) {
                TestPki.Issued rsa = pki.server(KeyKind.RSA);
                TestPki.Issued ec = pki.server(KeyKind.EC);
                settings.directive("TLSRSACertificateFile", rsa.certFile().toString())
                        .directive("TLSRSACertificateKeyFile", rsa.keyPkcs1().toString())
                        .directive("TLSECCertificateFile", ec.certFile().toString())
                        .directive("TLSECCertificateKeyFile", ec.keySec1().toString())
                        .directive("TLSCertificateChainFile", rsa.chainFile().toString());
            }
            for (String[] d : directives) {
                settings.directive(d[0], java.util.Arrays.copyOfRange(d, 1, d.length));
            }
            TlsEngine engine = TlsEngine.start(settings.build());

            FtpServerFactory factory = new FtpServerFactory();
            DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
            data.setPassiveExternalAddress("127.0.0.1");
            data.setPassiveAddress("127.0.0.1");
            ModTlsListener listener = new ModTlsListener("127.0.0.1", 0, false, engine,
                    data.createDataConnectionConfiguration(), 60, null);
            factory.addListener("default", listener);
            org.apache.ftpserver.listener.Listener stock = null;
            if (stockListener) {
                org.apache.ftpserver.listener.ListenerFactory lf = new org.apache.ftpserver.listener.ListenerFactory();
                lf.setServerAddress("127.0.0.1");
                lf.setPort(0);
                stock = lf.createListener();
                factory.addListener("stock", stock);
            }
            UserManager um = users(dir, home);
            for (java.util.Map.Entry<String, String> u : users.entrySet()) {
                BaseUser extra = new BaseUser();
                extra.setName(u.getKey());
                extra.setPassword(u.getValue());
                extra.setHomeDirectory(Files.createDirectories(dir.resolve("homes").resolve(u.getKey())).toString());
                extra.setAuthorities(List.of(new WritePermission()));
                um.save(extra);
            }
            factory.setUserManager(um);
            factory.setFtplets(new java.util.LinkedHashMap<>(ftplets));
            ModTlsServerPostProcessor.install(factory);
            FtpServer server = factory.createServer();
            server.start();
            TestServer started = new TestServer(server, listener.getPort(), home, tlsLog);
            started.stockPort = stock == null ? -1 : stock.getPort();
            return started;
        }
    }

    private static UserManager users(Path dir, Path home) throws Exception {
        PropertiesUserManagerFactory f = new PropertiesUserManagerFactory();
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "");
        f.setFile(file.toFile());
        f.setPasswordEncryptor(new ClearTextPasswordEncryptor());
        UserManager um = f.createUserManager();
        BaseUser user = new BaseUser();
        user.setName(USER);
        user.setPassword(PASSWORD);
        user.setHomeDirectory(home.toString());
        List<Authority> auth = new ArrayList<>();
        auth.add(new WritePermission());
        user.setAuthorities(auth);
        um.save(user);
        return um;
    }

    /** The port of the stock listener ({@link Builder#withStockListener()}), or -1. */
    public int stockPort() {
        return stockPort;
    }

    public int port() {
        return port;
    }

    public Path home() {
        return home;
    }

    public Path tlsLog() {
        return tlsLog;
    }

    /** The TLSLog's messages so far (the part after {@code "]: "} of each line). */
    public List<String> tlsLogMessages() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(tlsLog)) {
            return out;
        }
        for (String line : Files.readAllLines(tlsLog, StandardCharsets.UTF_8)) {
            int i = line.indexOf("]: ");
            out.add(i < 0 ? line : line.substring(i + 3));
        }
        return out;
    }

    /** The certificate the server presents to a new connection after AUTH TLS. */
    public java.security.cert.X509Certificate serverCertificate() throws IOException {
        try (RawFtpClient c = connect()) {
            c.read();
            c.cmd("AUTH TLS");
            return (java.security.cert.X509Certificate) c.startTls().getSession().getPeerCertificates()[0];
        }
    }

    public RawFtpClient connect() throws IOException {
        return new RawFtpClient("127.0.0.1", port);
    }

    @Override
    public void close() {
        server.stop();
    }
}
