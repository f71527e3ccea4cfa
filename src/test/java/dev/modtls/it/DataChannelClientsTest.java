package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

import dev.modtls.testsupport.TestPki;

/**
 * Protected data connections with real clients against our server, with mod_tls's default session-reuse
 * requirement (and one server with NoSessionReuseRequired), over TLS 1.2 and TLS 1.3: curl (reuses sessions, three
 * transfers in one session), lftp, Python's stock {@code FTP_TLS} (never reuses: 150 then the mod_tls 425) and an
 * {@code FTP_TLS} subclass that reuses (three transfers in a row), a data-connection thief, round trips with SHA-256,
 * and an upload whose TLS stream ends without close_notify.
 */
@RunWith(Parameterized.class)
public class DataChannelClientsTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static TestPki pki;
    private static TestServer server;
    private static TestServer noReuse;
    private static Path script;

    @Parameters(name = "{0}")
    public static Collection<Object[]> versions() {
        return Arrays.asList(new Object[][] {{"TLSv1.2"}, {"TLSv1.3"}});
    }

    private final String version;

    public DataChannelClientsTest(String version) {
        this.version = version;
    }

    @BeforeClass
    public static void startServers() throws Exception {
        pki = TestPki.create(TMP.newFolder("pki").toPath());
        server = TestServer.builder(TMP.newFolder("reuse").toPath(), pki).directive("TLSRequired", "on").start();
        noReuse = TestServer.builder(TMP.newFolder("noreuse").toPath(), pki).directive("TLSRequired", "on")
                .directive("TLSOptions", "NoSessionReuseRequired").start();
        script = Cli.pythonClient(TMP.newFolder("client").toPath());
    }

    @AfterClass
    public static void stopServers() {
        if (server != null) {
            server.close();
        }
        if (noReuse != null) {
            noReuse.close();
        }
    }

    private Cli.Result python(TestServer s, String mode, String... args) throws Exception {
        Cli.require("python3");
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), "127.0.0.1",
                String.valueOf(s.port()), TestServer.USER, TestServer.PASSWORD, version.replace('.', '_'), mode));
        cmd.addAll(List.of(args));
        Cli.Result r = Cli.run(cmd, null, 180);
        assertEquals(r.toString(), 0, r.exitCode);
        return r;
    }

    private static List<String> lines(Cli.Result r) {
        return List.of(r.stdout.strip().split("\n"));
    }

    private long reuseLines(TestServer s) throws Exception {
        return s.tlsLogMessages().stream().filter("client reused TLS session for data connection"::equals).count();
    }

    @Test
    public void curlDoesThreeTransfersInOneSession() throws Exception {
        Cli.require("curl");
        long before = reuseLines(server);
        String base = "ftp://alice:secret@127.0.0.1:" + server.port() + "/";
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--ssl-reqd", "--cacert", pki.rootFile().toString()));
        cmd.addAll(version.equals("TLSv1.2") ? List.of("--tlsv1.2", "--tls-max", "1.2") : List.of("--tlsv1.3"));
        cmd.addAll(List.of(base + "hello.txt", base + "hello.txt", base));
        Cli.Result r = Cli.run(cmd, null, 60);
        assertEquals(r.toString(), 0, r.exitCode);
        assertTrue(r.toString(), r.stdout.startsWith(TestServer.HELLO + TestServer.HELLO));
        assertTrue(r.toString(), r.stdout.contains("hello.txt"));
        assertTrue("three resumed data connections", reuseLines(server) - before >= 3);
    }

    @Test
    public void lftpListsAndReads() throws Exception {
        Cli.require("lftp");
        String priority = version.equals("TLSv1.2") ? "NORMAL:-VERS-ALL:+VERS-TLS1.2" : "NORMAL:-VERS-ALL:+VERS-TLS1.3";
        Cli.Result r = Cli.run(List.of("lftp", "-c", "set ftp:ssl-force yes; set ftp:ssl-protect-data yes; "
                + "set ssl:verify-certificate no; set ssl:priority " + priority + "; set net:max-retries 1; "
                + "open -u alice,secret 127.0.0.1:" + server.port() + "; cls; cat hello.txt; cat hello.txt"),
                null, 60);
        assertEquals(r.toString(), 0, r.exitCode);
        assertTrue(r.toString(), r.stdout.contains("hello.txt"));
        assertTrue(r.toString(), r.stdout.contains(TestServer.HELLO + TestServer.HELLO));
    }

    @Test
    public void lftpInActiveModeResumesToo() throws Exception {
        Cli.require("lftp");
        String priority = version.equals("TLSv1.2") ? "NORMAL:-VERS-ALL:+VERS-TLS1.2" : "NORMAL:-VERS-ALL:+VERS-TLS1.3";
        Cli.Result r = Cli.run(List.of("lftp", "-c", "set ftp:ssl-force yes; set ftp:ssl-protect-data yes; "
                + "set ftp:passive-mode no; set ssl:verify-certificate no; set ssl:priority " + priority
                + "; set net:max-retries 1; open -u alice,secret 127.0.0.1:" + server.port()
                + "; cat hello.txt; cls"), null, 60);
        assertEquals(r.toString(), 0, r.exitCode);
        assertTrue(r.toString(), r.stdout.startsWith(TestServer.HELLO));
        assertTrue(r.toString(), r.stdout.contains("hello.txt"));
    }

    @Test
    public void stockPythonWhichNeverReusesGetsThe425() throws Exception {
        assertEquals(List.of("425 Unable to build data connection: Operation not permitted", "200 Command NOOP okay."),
                lines(python(server, "stock-list")));
        Logs.await(server, "client did not reuse TLS session, rejecting data connection (see the "
                + "NoSessionReuseRequired TLSOptions parameter)");
        Logs.await(server, "unable to open data connection: TLS negotiation failed");
        List<String> relaxed = lines(python(noReuse, "stock-list"));
        assertTrue(relaxed.toString(), relaxed.get(0).startsWith("226 listed "));
    }

    @Test
    public void pythonThatReusesTheControlSessionDoesThreeTransfers() throws Exception {
        String complete = "226 " + TestServer.HELLO.length();
        assertEquals(List.of(complete, complete, complete), lines(python(server, "reuse-retr", "3", "hello.txt")));
    }

    @Test
    public void authSslProtectsDataWithoutProtP() throws Exception {
        // TLSRequired data would refuse LIST with 522 unless AUTH SSL implied PROT P (mod_tls §3.1 row 8)
        try (TestServer dataRequired = TestServer.builder(TMP.newFolder().toPath(), pki)
                .directive("TLSRequired", "data").start()) {
            List<String> out = lines(python(dataRequired, "auth-ssl-list"));
            assertEquals("234 AUTH SSL successful", out.get(0));
            assertTrue(out.toString(), out.get(1).startsWith("226 "));
            Logs.await(dataRequired, "SSL/TLS-P requested, starting TLS handshake");
            Logs.await(dataRequired, "client reused TLS session for data connection");
        }
    }

    @Test
    public void aThiefAtThePassivePortIsRefusedAndTheTransferCompletes() throws Exception {
        List<String> out = lines(python(server, "hijack", "hello.txt"));
        assertTrue(out.toString(), out.get(0).startsWith("thief refused") || out.get(0).equals("thief received 0 bytes"));
        assertEquals("client 150 226 " + TestServer.HELLO.length() + " bytes", out.get(1));
        Logs.await(server, "client did not reuse TLS session, rejecting data connection");
    }

    @Test
    public void connectionsSquattingThePassivePortDoNotKeepTheClientOut() throws Exception {
        // more idle connections than the acceptor holds: the oldest make way for the real client
        assertEquals(List.of("client 150 226 " + TestServer.HELLO.length() + " bytes"),
                lines(python(server, "squat", "hello.txt", "6")));
    }

    @Test
    public void aClientThatConnectsAfterTheRefusedThiefStillGetsItsTransfer() throws Exception {
        List<String> out = lines(python(server, "late-client", "hello.txt"));
        assertTrue(out.toString(), out.get(0).startsWith("thief refused") || out.get(0).equals("thief received 0 bytes"));
        assertEquals("client 150 226 " + TestServer.HELLO.length() + " bytes", out.get(1));
    }

    @Test
    public void roundTripsKeepEveryByte() throws Exception {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 64 * 1024 + 1, 100 * 1024 * 1024}) {
            Path file = TMP.newFile().toPath();
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] block = new byte[1 << 16];
                for (int left = size; left > 0; left -= block.length) {
                    random.nextBytes(block);
                    out.write(block, 0, Math.min(left, block.length));
                }
            }
            String name = "rt-" + version + "-" + size + ".bin";
            List<String> out = lines(python(server, "roundtrip", "I", file.toString(), name));
            assertEquals(out.toString(), "sha256 " + sha256(file) + " " + size, out.get(1));
            assertEquals(sha256(file), sha256(server.home().resolve(name)));
        }
    }

    @Test
    public void typeAConvertsLineEndingsBothWays() throws Exception {
        for (int lines : new int[] {0, 1, 4000, 1_000_000}) {
            StringBuilder crlf = new StringBuilder();
            StringBuilder lf = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                String line = "line " + i + " of a text file";
                crlf.append(line).append("\r\n");
                lf.append(line).append('\n');
            }
            Path file = TMP.newFile().toPath();
            Files.writeString(file, crlf);
            String name = "text-" + version + "-" + lines + ".txt";
            List<String> out = lines(python(server, "roundtrip", "A", file.toString(), name));
            // stored with the server's line ends, sent back with CRLF (as FtpServer converts)
            assertEquals(lf.toString(), Files.readString(server.home().resolve(name)));
            assertEquals(out.toString(), "sha256 " + sha256(file) + " " + Files.size(file), out.get(1));
        }
    }

    @Test
    public void anUploadCutWithoutCloseNotifyFails() throws Exception {
        List<String> out = lines(python(server, "truncated-upload", "cut-" + version + ".bin"));
        assertTrue(out.toString(), out.get(0).startsWith("426 "));
        assertEquals("200 Command NOOP okay.", out.get(1));
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
