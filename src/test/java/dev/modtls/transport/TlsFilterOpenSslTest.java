package dev.modtls.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** OpenSSL's s_client against the implicit-TLS variant of the echo server. */
public class TlsFilterOpenSslTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** An interactive s_client: lines in, lines out, every wait bounded. */
    static final class SClient implements AutoCloseable {
        final Process process;
        final OutputStream stdin;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuilder all = new StringBuilder();

        SClient(List<String> command) throws Exception {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            stdin = process.getOutputStream();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (all) {
                            all.append(line).append('\n');
                        }
                        lines.add(line);
                    }
                } catch (Exception e) {
                    // process gone
                }
            });
            t.setDaemon(true);
            t.start();
        }

        void send(String line) throws Exception {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        void expect(String wanted) throws Exception {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.trim().equals(wanted)) {
                    return;
                }
            }
            synchronized (all) {
                throw new AssertionError("no line '" + wanted + "' from s_client; output:\n" + all);
            }
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                send("QUIT"); // the server closes with close_notify; s_client -quiet ignores stdin EOF
            }
            stdin.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static List<String> sClient(int port, String... options) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-quiet"));
        cmd.addAll(List.of(options));
        return cmd;
    }

    @Test
    public void echoOverTls12() throws Exception {
        try (EchoServer server = new EchoServer(EchoServer.Mode.IMPLICIT, TlsFilterHandshakeTest.serverSettings());
                SClient c = new SClient(sClient(server.port(), "-tls1_2"))) {
            c.expect("220 ready");
            c.send("hello from openssl");
            c.expect("hello from openssl");
            c.send("PROTO");
            c.expect("200 TLSv1.2");
        }
    }

    /**
     * SSLSession.putValue on the server makes SunJSSE send a new TLS 1.3 NewSessionTicket with the next write; the
     * filter must put it on the wire. s_client rewrites its -sess_out file for every ticket it receives.
     */
    @Test
    public void putValueSendsFreshTicketTls13() throws Exception {
        Path sess = tmp.getRoot().toPath().resolve("session.pem");
        try (EchoServer server = new EchoServer(EchoServer.Mode.IMPLICIT, TlsFilterHandshakeTest.serverSettings());
                SClient c = new SClient(sClient(server.port(), "-tls1_3", "-sess_out", sess.toString()))) {
            c.expect("220 ready");
            c.send("one");
            c.expect("one");
            String first = waitForFile(sess);
            c.send("two");
            c.expect("two");
            assertEquals("no new ticket without putValue", first, Files.readString(sess));
            c.send("TICKET");
            c.expect("200 TICKET");
            c.send("three"); // the ticket follows the reply; one more round trip makes s_client read it
            c.expect("three");
            String second = Files.readString(sess);
            assertTrue(second, second.contains("BEGIN SSL SESSION PARAMETERS"));
            assertNotEquals("a fresh ticket after putValue", first, second);
        }
    }

    private static String waitForFile(Path file) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (Files.exists(file)) {
                String s = Files.readString(file);
                if (s.contains("END SSL SESSION PARAMETERS")) {
                    return s;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("s_client wrote no session file");
    }

    @Test
    public void tls10ClientAgainstTls12PlusServerFails() throws Exception {
        try (EchoServer server = new EchoServer(EchoServer.Mode.IMPLICIT, TlsFilterHandshakeTest.serverSettings())) {
            Processes.Result r = Processes.run(sClient(server.port(), "-tls1", "-cipher", "DEFAULT@SECLEVEL=0"),
                    "FEAT\n", 20);
            assertNotEquals(r.toString(), 0, r.exit);
            RecordingListener.Event failed = server.listener.await("failed");
            assertFalse(failed.flag);
            assertTrue(failed.cause.toString(), failed.cause.getMessage().contains("TLSv1"));
            assertFalse(server.received.contains("FEAT"));
        }
    }
}
