package dev.modtls.transport;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import org.junit.Test;

import dev.modtls.transport.TlsFilterHandshakeTest.Client;

/** Volume and concurrency: a 64 MiB echo, a one-way bulk transfer with a throughput figure, 50 parallel sessions. */
public class TlsFilterBulkTest {

    private static SSLSocket connect(int port, String protocol) throws Exception {
        SSLSocket s = (SSLSocket) TestTls.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
        s.setEnabledProtocols(new String[] {protocol});
        s.setSoTimeout(30_000);
        s.startHandshake();
        return s;
    }

    @Test
    public void echo64MiBTls13() throws Exception {
        echo("TLSv1.3", 64 << 20);
    }

    @Test
    public void echo16MiBTls12() throws Exception {
        echo("TLSv1.2", 16 << 20);
    }

    private void echo(String protocol, int total) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (EchoServer server = new EchoServer(EchoServer.Mode.BINARY_ECHO,
                TlsFilterHandshakeTest.serverSettings()); SSLSocket s = connect(server.port(), protocol)) {
            long start = System.nanoTime();
            Future<byte[]> sent = pool.submit(() -> {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                Random random = new Random(7);
                byte[] chunk = new byte[100_000]; // deliberately not a multiple of the record size
                OutputStream out = s.getOutputStream();
                for (int left = total; left > 0;) {
                    int n = Math.min(left, chunk.length);
                    random.nextBytes(chunk);
                    out.write(chunk, 0, n);
                    md.update(chunk, 0, n);
                    left -= n;
                }
                out.flush();
                return md.digest();
            });
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            long got = 0;
            while (got < total) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                got += n;
            }
            assertEquals(total, got);
            assertArrayEquals("SHA-256 of what came back", sent.get(60, TimeUnit.SECONDS), md.digest());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("echo %s %d MiB each way in %.2f s (%.0f MB/s each way)%n", protocol, total >> 20,
                    seconds, total / 1e6 / seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void oneWayBulkTls13ThenCleanClose() throws Exception {
        // -Dmodtls.bench.rounds=N repeats it (the first rounds run on a cold JIT) to read a throughput figure
        int rounds = Integer.getInteger("modtls.bench.rounds", 1);
        int blocks = Integer.getInteger("modtls.bench.blocks", 1024); // 256 KiB each: 256 MiB
        for (int i = 0; i < rounds; i++) {
            oneWay("TLSv1.3", blocks);
        }
    }

    @Test
    public void oneWayBulkTls12ThenCleanClose() throws Exception {
        oneWay("TLSv1.2", 256); // 64 MiB
    }

    private void oneWay(String protocol, int blocks) throws Exception {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < blocks; i++) {
            expected.update(EchoServer.BLOCK);
        }
        try (EchoServer server = new EchoServer(EchoServer.Mode.BINARY_SOURCE,
                TlsFilterHandshakeTest.serverSettings()); SSLSocket s = connect(server.port(), protocol)) {
            long start = System.nanoTime();
            new DataOutputStream(s.getOutputStream()).writeLong(blocks);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 20];
            long got = 0;
            int n;
            while ((n = in.read(buf)) >= 0) { // -1 only on a close_notify: JSSE throws on a bare TCP close
                md.update(buf, 0, n);
                got += n;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals((long) blocks * EchoServer.BLOCK.length, got);
            assertArrayEquals(expected.digest(), md.digest());
            System.out.printf("one-way %s %d MiB in %.2f s: %.0f MB/s (server encrypts, JSSE client decrypts, "
                    + "same 2 cores)%n", protocol, got >> 20, seconds, got / 1e6 / seconds);
        }
    }

    @Test
    public void fiftyConcurrentSessions() throws Exception {
        int sessions = 50;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try (EchoServer server = new EchoServer(EchoServer.Mode.EXPLICIT, TlsFilterHandshakeTest.serverSettings())) {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                String protocol = i % 2 == 0 ? "TLSv1.3" : "TLSv1.2";
                int id = i;
                results.add(pool.submit(() -> {
                    try (Client c = new Client(server.port()).auth(server.port(), protocol)) {
                        for (int j = 0; j < 20; j++) {
                            String line = "session " + id + " line " + j;
                            c.send(line);
                            assertEquals(line, c.line());
                            if (j == 10) {
                                c.send("RENEG");
                                assertEquals("200 RENEG true", c.line());
                            }
                        }
                        c.send("QUIT");
                        assertEquals("221 bye", c.line());
                        assertEquals(-1, c.in.read());
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(60, TimeUnit.SECONDS);
            }
            int initial = 0;
            for (RecordingListener.Event e : server.listener.events) {
                if (e.type.equals("completed") && e.kind == HandshakeKind.INITIAL) {
                    initial++;
                }
            }
            assertEquals(sessions, initial);
            TlsFilterHandshakeTest.waitFor(() -> server.sessionsClosed.get() == sessions);
        } finally {
            pool.shutdownNow();
        }
    }
}
