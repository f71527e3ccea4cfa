package dev.modtls.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Transfers through a stock FtpServer whose data connections run on MINA (no TLS). */
public class MinaDataTransferTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path root;
    private TestFtpServer server;

    @Before
    public void setUp() throws Exception {
        root = tmp.newFolder("root").toPath();
    }

    @After
    public void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    // ---- generated content -----------------------------------------------------------------------------------

    /** Deterministic pseudo-random bytes, generated while read (nothing of the size is held in memory). */
    private static InputStream generated(long size, long seed) {
        Random random = new Random(seed);
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, b, off, n);
                left -= n;
                return n;
            }
        };
    }

    private static byte[] sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream d = new DigestInputStream(in, digest)) {
            d.transferTo(OutputStream.nullOutputStream());
        }
        return digest.digest();
    }

    /** A download sink that hashes what it receives. */
    private static final class HashingSink extends OutputStream {
        final MessageDigest digest;
        long count;

        HashingSink() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
            count += len;
        }
    }

    private void roundTrip(FTPClient client, String name, long size) throws Exception {
        long seed = size * 31 + name.hashCode();
        byte[] expected = sha256(generated(size, seed));
        assertTrue(name + ": " + client.getReplyString(), client.storeFile(name, generated(size, seed)));
        assertEquals(size, Files.size(root.resolve(name)));
        assertArrayEquals(name + " on the server", expected, sha256(Files.newInputStream(root.resolve(name))));
        HashingSink sink = new HashingSink();
        assertTrue(name + ": " + client.getReplyString(), client.retrieveFile(name, sink));
        assertEquals(size, sink.count);
        assertArrayEquals(name + " downloaded", expected, sink.digest.digest());
    }

    // ---- tests -----------------------------------------------------------------------------------------------

    @Test
    public void passiveBinaryRoundTrips() throws Exception {
        server = new TestFtpServer(root);
        FTPClient client = server.login(true);
        for (long size : new long[] {0, 1, 64 * 1024 + 1}) {
            roundTrip(client, "p" + size + ".bin", size);
        }
        assertTrue(client.sendNoOp());
        client.disconnect();
    }

    @Test
    public void passiveHundredMebibytes() throws Exception {
        server = new TestFtpServer(root);
        FTPClient client = server.login(true);
        long start = System.nanoTime();
        roundTrip(client, "big.bin", 100L * 1024 * 1024);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long[] peaks = server.onlyFactory().lastTransferPeaks();
        System.out.println("100 MiB up+down in " + millis + " ms; last transfer peak unsent bytes " + peaks[1]);
        assertTrue("outbound bound kept: " + peaks[1],
            peaks[1] <= DataChannel.OUTBOUND_HIGH + ChannelOutputStream.CHUNK);
        client.disconnect();
    }

    @Test
    public void activeBinaryRoundTrips() throws Exception {
        server = new TestFtpServer(root);
        FTPClient client = server.login(false);
        for (long size : new long[] {0, 1, 64 * 1024 + 1, 8L * 1024 * 1024}) {
            roundTrip(client, "a" + size + ".bin", size);
        }
        client.disconnect();
    }

    @Test
    public void extendedPassiveAndActive() throws Exception {
        server = new TestFtpServer(root);
        FTPClient client = server.login(true);
        client.setUseEPSVwithIPv4(true);
        roundTrip(client, "epsv.bin", 70_000);
        assertTrue(client.getReplyString(), client.getReplyString().startsWith("226"));

        // EPRT by hand: the server connects to our socket and sends the file.
        try (java.net.ServerSocket mine = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            mine.setSoTimeout(10_000);
            assertEquals(200, client.sendCommand("EPRT", "|1|127.0.0.1|" + mine.getLocalPort() + "|"));
            assertEquals(150, client.sendCommand("RETR", "epsv.bin"));
            try (Socket data = mine.accept()) {
                assertEquals(70_000, data.getInputStream().readAllBytes().length);
            }
            assertEquals(226, client.getReply());
        }
        client.disconnect();
    }

    @Test
    public void asciiTypeConvertsLineEndingsAsFtpServerDoes() throws Exception {
        server = new TestFtpServer(root);
        FTPClient client = server.login(true);
        // TYPE A told to the server only: the client moves raw bytes, so the server's conversion is visible.
        assertEquals(200, client.sendCommand("TYPE", "A"));
        byte[] wire = "line1\nline2\r\nline3\rend".getBytes(StandardCharsets.US_ASCII);
        assertTrue(client.storeFile("up.txt", new ByteArrayInputStream(wire)));
        String eol = System.lineSeparator();
        assertEquals("line1" + eol + "line2" + eol + "line3" + eol + "end",
            Files.readString(root.resolve("up.txt"), StandardCharsets.US_ASCII));

        Files.write(root.resolve("down.txt"), "x\ny\r\nz\n".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("down.txt", got));
        assertEquals("x\r\ny\r\nz\r\n", got.toString(StandardCharsets.US_ASCII));

        // And the round trip with the client converting too.
        client.setFileType(FTP.ASCII_FILE_TYPE);
        String text = "alpha\nbeta\n\ngamma\n";
        assertTrue(client.storeFile("round.txt", new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("round.txt", back));
        assertEquals(text.replace("\n", System.lineSeparator()), back.toString(StandardCharsets.US_ASCII));
        client.disconnect();
    }

    @Test
    public void restAppeStouAndListings() throws Exception {
        server = new TestFtpServer(root);
        FTPClient client = server.login(true);
        byte[] content = new byte[100_000];
        new Random(7).nextBytes(content);
        Files.write(root.resolve("r.bin"), content);

        client.setRestartOffset(12_345);
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("r.bin", tail));
        assertArrayEquals(Arrays.copyOfRange(content, 12_345, content.length), tail.toByteArray());

        assertTrue(client.appendFile("r.bin", new ByteArrayInputStream("more".getBytes(StandardCharsets.US_ASCII))));
        byte[] appended = Files.readAllBytes(root.resolve("r.bin"));
        assertEquals(content.length + 4, appended.length);
        assertEquals("more", new String(appended, content.length, 4, StandardCharsets.US_ASCII));

        assertTrue(client.storeUniqueFile(new ByteArrayInputStream("unique".getBytes(StandardCharsets.US_ASCII))));
        long uniques;
        try (var files = Files.list(root)) {
            uniques = files.filter(p -> {
                try {
                    return Files.readString(p, StandardCharsets.ISO_8859_1).equals("unique");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
        assertEquals(1, uniques);

        List<String> names = Arrays.asList(client.listNames());
        assertTrue(names.toString(), names.contains("r.bin"));
        FTPFile[] list = client.listFiles();
        assertTrue(Arrays.stream(list).anyMatch(f -> f.getName().equals("r.bin") && f.getSize() == content.length + 4));
        FTPFile[] mlsd = client.mlistDir();
        assertTrue(Arrays.stream(mlsd).anyMatch(f -> f.getName().equals("r.bin") && f.getSize() == content.length + 4));
        client.disconnect();
    }

    @Test
    public void modeZRoundTrip() throws Exception {
        server = new TestFtpServer(root);
        FTPClient client = server.login(true);
        assertTrue(client.setFileTransferMode(FTP.DEFLATE_TRANSFER_MODE));
        roundTrip(client, "z.bin", 300_000);
        client.disconnect();
    }

    @Test
    public void clientAbortingMidTransferLeavesControlUsable() throws Exception {
        server = new TestFtpServer(root);
        try (InputStream in = generated(32L * 1024 * 1024, 1)) {
            Files.copy(in, root.resolve("abort.bin"));
        }
        for (boolean passive : new boolean[] {true, false}) {
            FTPClient client = server.login(passive);
            InputStream data = client.retrieveFileStream("abort.bin");
            assertNotNull(client.getReplyString(), data);
            assertEquals(256 * 1024, data.readNBytes(256 * 1024).length);
            data.close();
            assertFalse("the interrupted RETR is not a success", client.completePendingCommand());
            assertEquals(client.getReplyString(), 426, client.getReplyCode());
            assertTrue(client.abort());
            assertEquals(226, client.getReplyCode());
            assertTrue(client.sendNoOp());
            roundTrip(client, "after-abort.bin", 10_000);
            client.disconnect();
        }
    }

    @Test
    public void slowReaderKeepsUnsentBytesBounded() throws Exception {
        server = new TestFtpServer(root);
        try (InputStream in = generated(16L * 1024 * 1024, 2)) {
            Files.copy(in, root.resolve("slow.bin"));
        }
        FTPClient client = server.login(true);
        client.setReceiveBufferSize(16 * 1024);
        InputStream data = client.retrieveFileStream("slow.bin");
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = data.read(buffer)) != -1) {
            total += n;
            if (total < 4L * 1024 * 1024) {
                Thread.sleep(2);
            }
        }
        data.close();
        assertTrue(client.completePendingCommand());
        assertEquals(16L * 1024 * 1024, total);
        long[] peaks = server.onlyFactory().lastTransferPeaks();
        System.out.println("slow reader: peak unsent bytes " + peaks[1]);
        assertTrue("peak unsent " + peaks[1], peaks[1] <= DataChannel.OUTBOUND_HIGH + ChannelOutputStream.CHUNK);
        assertTrue("back-pressure engaged: " + peaks[1], peaks[1] > DataChannel.OUTBOUND_LOW);
        client.disconnect();
    }

    @Test
    public void rateLimitedUploadSuspendsReadingInsteadOfBuffering() throws Exception {
        int rate = 2 * 1024 * 1024;
        server = new TestFtpServer(root, rate, d -> { });
        FTPClient client = server.login(true);
        long size = 3L * 1024 * 1024;
        long start = System.nanoTime();
        assertTrue(client.storeFile("limited.bin", generated(size, 3)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(size, Files.size(root.resolve("limited.bin")));
        assertTrue("3 MiB at 2 MiB/s took only " + millis + " ms", millis >= 1200);
        long[] peaks = server.onlyFactory().lastTransferPeaks();
        System.out.println("rate-limited upload: " + millis + " ms, peak queued inbound bytes " + peaks[0]);
        // One read already under way when reading is suspended (at most MINA's largest read) may land on top.
        assertTrue("peak inbound " + peaks[0], peaks[0] <= DataChannel.INBOUND_HIGH + DataTransport.MAX_IO_CHUNK);
        assertTrue("the queue did fill: " + peaks[0], peaks[0] >= DataChannel.INBOUND_HIGH);
        client.disconnect();
    }

    @Test
    public void passiveIpCheckRefusesAHijackerAndServesTheClient() throws Exception {
        server = new TestFtpServer(root, 0, d -> d.setPassiveIpCheck(true));
        Files.write(root.resolve("secret.bin"), "payload".getBytes(StandardCharsets.US_ASCII));
        FTPClient client = server.login(true);
        assertEquals(227, client.pasv());
        String reply = client.getReplyString();
        String[] numbers = reply.substring(reply.indexOf('(') + 1, reply.indexOf(')')).split(",");
        int port = Integer.parseInt(numbers[4].trim()) * 256 + Integer.parseInt(numbers[5].trim());

        try (Socket hijacker = new Socket()) {
            hijacker.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            hijacker.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            hijacker.setSoTimeout(5_000);
            assertEquals("the hijacker is closed at once", -1, hijacker.getInputStream().read());
        }
        // The legitimate client still gets the file through the same PASV.
        try (Socket legit = new Socket("127.0.0.1", port)) {
            assertTrue(FTPReply.isPositivePreliminary(client.sendCommand("RETR", "secret.bin")));
            legit.setSoTimeout(10_000);
            assertEquals("payload", new String(legit.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            assertTrue(client.completePendingCommand());
        }
        client.disconnect();
    }

    @Test
    public void onePortRangeIsReleasedAfterEveryTransfer() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        server = new TestFtpServer(root, 0, d -> d.setPassivePorts(String.valueOf(port)));
        FTPClient client = server.login(true);
        for (int i = 0; i < 5; i++) {
            roundTrip(client, "one-port-" + i, 1000 + i);
        }
        // A new PASV replaces the pending one (same single port, so the first must have been released).
        assertEquals(227, client.pasv());
        assertEquals(227, client.pasv());
        roundTrip(client, "after-double-pasv", 10);
        client.disconnect();
    }

    @Test
    public void newPasvClosesThePendingOne() throws Exception {
        server = new TestFtpServer(root);
        FTPClient client = server.login(true);
        assertEquals(229, client.epsv());
        String first = client.getReplyString();
        int firstPort = Integer.parseInt(first.substring(first.indexOf("|||") + 3, first.lastIndexOf('|')));
        assertEquals(229, client.epsv());
        Thread.sleep(200);
        try (Socket late = new Socket()) {
            late.connect(new InetSocketAddress("127.0.0.1", firstPort), 2_000);
            late.setSoTimeout(2_000);
            assertEquals(-1, late.getInputStream().read());
        } catch (IOException refused) {
            // connection refused: the old acceptor is gone, as it should be
        }
        client.disconnect();
    }

    @Test
    public void transferWithoutPasvOrPortIsRefused() throws Exception {
        server = new TestFtpServer(root);
        Files.write(root.resolve("f"), new byte[] {1});
        FTPClient client = server.login(true);
        // After a completed transfer the pending passive connection is used up: a bare RETR cannot open one.
        roundTrip(client, "g", 5);
        int code = client.sendCommand("RETR", "f");
        if (code == 150) {
            code = client.getReply();
        }
        assertEquals(425, code);
        assertTrue(client.sendNoOp());
        client.disconnect();
    }
}
