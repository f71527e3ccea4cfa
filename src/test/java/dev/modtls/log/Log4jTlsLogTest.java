package dev.modtls.log;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import dev.modtls.config.ConfigException;

public class Log4jTlsLogTest {

    private static final Pattern LINE = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}) " + Pattern.quote(ModuleVersion.MODULE + "/"
                    + ModuleVersion.get()) + "\\[(\\d+)\\]: (.*)");

    private Path dir;
    private final List<TlsLog> opened = new ArrayList<>();

    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("tlslog"); // mode 0700: not world-writable
    }

    @After
    public void tearDown() throws IOException {
        opened.forEach(TlsLog::close);
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    private TlsLog open(Path file) {
        TlsLog log = TlsLogs.open(Optional.of(file));
        opened.add(log);
        return log;
    }

    @Test
    public void writesMod_tlsLayoutWithConnectionId() throws IOException {
        Path file = dir.resolve("tls.log");
        TlsLog log = open(file);
        LocalDateTime before = LocalDateTime.now().truncatedTo(ChronoUnit.MILLIS);
        log.log(42, "client reused TLS session for data connection");
        log.log(7, "TLS/TLS-C requested, starting TLS handshake");
        LocalDateTime after = LocalDateTime.now();

        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertFalse("LF line ends, as mod_tls", text.contains("\r"));
        assertTrue(text.endsWith("\n"));
        String[] lines = text.split("\n");
        assertEquals(2, lines.length);

        Matcher m = LINE.matcher(lines[0]);
        assertTrue(lines[0], m.matches());
        assertEquals("42", m.group(2));
        assertEquals("client reused TLS session for data connection", m.group(3));
        LocalDateTime stamp = LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS"));
        assertFalse(stamp + " before " + before, stamp.isBefore(before));
        assertFalse(stamp + " after " + after, stamp.isAfter(after));

        Matcher m2 = LINE.matcher(lines[1]);
        assertTrue(lines[1], m2.matches());
        assertEquals("7", m2.group(2));
        assertEquals("TLS/TLS-C requested, starting TLS handshake", m2.group(3));
    }

    @Test
    public void appendsToAnExistingFile() throws IOException {
        Path file = dir.resolve("tls.log");
        Files.writeString(file, "earlier line\n");
        TlsLog log = open(file);
        log.log(1, "x");
        List<String> lines = Files.readAllLines(file);
        assertEquals("earlier line", lines.get(0));
        assertTrue(LINE.matcher(lines.get(1)).matches());
    }

    @Test
    public void noneWritesNothing() throws IOException {
        TlsLog log = TlsLogs.open(Optional.empty());
        assertSame(TlsLog.NONE, log);
        assertFalse(log.isEnabled());
        log.log(1, "nothing");
        log.close();
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    public void createsMissingParentDirectories() throws IOException {
        Path file = dir.resolve("var/log/tls.log");
        open(file).log(3, "first start");
        assertEquals(1, Files.readAllLines(file).size());
    }

    @Test
    public void refusesWorldWritableDirectory() throws IOException {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            open(open.resolve("tls.log"));
            fail("a TLSLog in a world-writable directory must be refused");
        } catch (ConfigException e) {
            assertEquals("TLSLog", e.getDirective());
            assertTrue(e.getMessage(), e.getMessage().startsWith(
                    "TLSLog: unable to open TLSLog: parent directory is world-writable"));
            assertTrue(e.getMessage(), e.getMessage().contains(open.toString()));
        }
        assertFalse(Files.exists(open.resolve("tls.log")));
    }

    @Test
    public void refusesSymbolicLink() throws IOException {
        Path target = dir.resolve("elsewhere.log");
        Files.writeString(target, "");
        Path link = Files.createSymbolicLink(dir.resolve("tls.log"), target);
        try {
            open(link);
            fail("a TLSLog that is a symbolic link must be refused");
        } catch (ConfigException e) {
            assertEquals("TLSLog", e.getDirective());
            assertTrue(e.getMessage(), e.getMessage().startsWith(
                    "TLSLog: unable to open TLSLog: cannot log to a symbolic link"));
        }
        assertEquals(0, Files.size(target));
    }

    @Test
    public void refusesDanglingSymbolicLink() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("tls.log"), dir.resolve("missing.log"));
        try {
            open(link);
            fail("a dangling symbolic link must be refused too");
        } catch (ConfigException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("cannot log to a symbolic link"));
        }
        assertFalse(Files.exists(dir.resolve("missing.log")));
    }

    @Test
    public void listenersNamingOneFileShareItUntilTheLastCloses() throws IOException {
        int before = TlsLogFiles.openFiles();
        Path file = dir.resolve("shared.log");
        TlsLog a = open(file);
        TlsLog b = open(dir.resolve("sub/../shared.log"));
        assertEquals(before + 1, TlsLogFiles.openFiles());
        a.log(1, "from a");
        a.close();
        a.close(); // idempotent: must not release b's share
        assertFalse(a.isEnabled());
        a.log(1, "after close: dropped");
        assertEquals(before + 1, TlsLogFiles.openFiles());
        b.log(2, "from b");
        b.close();
        assertEquals(before, TlsLogFiles.openFiles());

        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).endsWith("[1]: from a"));
        assertTrue(lines.get(1).endsWith("[2]: from b"));

        // reopening after the last close works and appends
        open(file).log(3, "again");
        assertEquals(3, Files.readAllLines(file).size());
    }

    @Test
    public void concurrentWritersNeverInterleave() throws Exception {
        Path file = dir.resolve("busy.log");
        TlsLog first = open(file);
        TlsLog second = open(file);
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            TlsLog log = t % 2 == 0 ? first : second;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    log.log(id, "line " + i + " of writer " + id + " with some padding to make lines longer");
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<String> lines = Files.readAllLines(file);
        assertEquals(threads * perThread, lines.size());
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            assertTrue(line, m.matches());
            assertTrue(m.group(3), m.group(3).endsWith(" of writer " + m.group(2)
                    + " with some padding to make lines longer"));
            assertTrue("duplicate " + line, seen.add(m.group(2) + "/" + m.group(3)));
        }
    }
}
