package dev.modtls.main;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The command line in a child JVM: exit status and the one line on stderr. */
public class ModTlsCommandLineTest {

    private Path dir;

    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("cli");
    }

    @After
    public void tearDown() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    /** A plain FtpServer configuration (FtpServer's own namespace only) listening on {@code port} of 127.0.0.1. */
    static String plainServer(int port) {
        return "<beans xmlns='http://www.springframework.org/schema/beans'\n"
                + "  xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'\n"
                + "  xmlns:ftp='http://mina.apache.org/ftpserver/spring/v1'\n"
                + "  xsi:schemaLocation='http://www.springframework.org/schema/beans"
                + " http://www.springframework.org/schema/beans/spring-beans.xsd\n"
                + "    http://mina.apache.org/ftpserver/spring/v1 http://mina.apache.org/ftpserver/ftpserver-1.0.xsd'>\n"
                + "  <ftp:server id='server'>\n"
                + "    <ftp:listeners><ftp:nio-listener name='default' port='" + port
                + "' local-address='127.0.0.1'/></ftp:listeners>\n"
                + "  </ftp:server>\n"
                + "</beans>\n";
    }

    private static List<String> ourLines(String stderr) {
        return Arrays.stream(stderr.split("\\R")).filter(l -> l.startsWith(ModTlsCommandLine.PREFIX))
                .collect(Collectors.toList());
    }

    @Test
    public void missingConfigFileExitsOneWithOneLine() throws Exception {
        ChildJvm jvm = ChildJvm.start(dir, "no-such-config.xml");
        assertEquals(jvm.stderr(), 1, jvm.exitCode(60));
        List<String> lines = ourLines(jvm.stderr());
        assertEquals(jvm.stderr(), 1, lines.size());
        String expectedPath = dir.toRealPath().resolve("no-such-config.xml").toString();
        assertTrue(lines.get(0), lines.get(0).startsWith("ftpserver-modtls: cannot start: "));
        assertTrue(lines.get(0), lines.get(0).contains(expectedPath) || lines.get(0).contains(
                dir.resolve("no-such-config.xml").toString()));
        assertTrue(lines.get(0), lines.get(0).contains("No such file or directory"));
        assertTrue("no stack trace: " + jvm.stderr(), !jvm.stderr().contains("\tat "));
    }

    @Test
    public void portInUseExitsOneNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Path config = dir.resolve("taken.xml");
            Files.writeString(config, plainServer(taken.getLocalPort()));
            ChildJvm jvm = ChildJvm.start(dir, config.toString());
            assertEquals(jvm.stderr(), 1, jvm.exitCode(60));
            List<String> lines = ourLines(jvm.stderr());
            assertEquals(jvm.stderr(), 1, lines.size());
            String line = lines.get(0);
            assertTrue(line, line.startsWith("ftpserver-modtls: cannot start: "));
            assertTrue(line, line.contains("127.0.0.1:" + taken.getLocalPort()));
            assertTrue(line, line.endsWith(": Address already in use"));
        }
    }

    @Test
    public void goodConfigStartsAndPrintsTheStockMarker() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/ftpd.xml"), plainServer(port));
        ChildJvm jvm = ChildJvm.start(dir, "etc/ftpd.xml"); // relative to the working directory
        try {
            assertTrue(jvm.stdout() + jvm.stderr(), jvm.awaitStdout("FtpServer started", 60));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                byte[] greeting = new byte[3];
                assertEquals(3, s.getInputStream().readNBytes(greeting, 0, 3));
                assertEquals("220", new String(greeting, java.nio.charset.StandardCharsets.US_ASCII));
            }
        } finally {
            jvm.destroy();
        }
        assertTrue("exit " + jvm.process.exitValue() + ": " + jvm.stdout() + jvm.stderr(),
                jvm.stdout().contains("Stopping server..."));
    }

    /** A configuration in our namespace (and FtpServer's): {@code <modtls:tls>} with {@code tlsAttributes}. */
    static String modTlsServer(String tlsAttributes, int port) {
        return "<beans xmlns='http://www.springframework.org/schema/beans'\n"
                + "  xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'\n"
                + "  xmlns:ftp='http://mina.apache.org/ftpserver/spring/v1'\n"
                + "  xmlns:modtls='http://modtls.dev/schema/ftpserver-modtls'\n"
                + "  xsi:schemaLocation='http://www.springframework.org/schema/beans"
                + " http://www.springframework.org/schema/beans/spring-beans.xsd\n"
                + "    http://mina.apache.org/ftpserver/spring/v1 http://mina.apache.org/ftpserver/ftpserver-1.0.xsd\n"
                + "    http://modtls.dev/schema/ftpserver-modtls"
                + " https://modtls.dev/schema/ftpserver-modtls/ftpserver-modtls-1.0.xsd'>\n"
                + "  <modtls:tls id='tls' " + tlsAttributes + ">\n"
                + "    <modtls:ec-certificate file='certs/ec-cert.pem' key-file='certs/ec-key.pem'"
                + " generate-if-missing='true'/>\n"
                + "  </modtls:tls>\n"
                + "  <modtls:listener id='ftps' tls='tls' local-address='127.0.0.1' port='" + port + "'/>\n"
                + "  <ftp:server id='server'>\n"
                + "    <ftp:listeners><ftp:listener name='default'><ref bean='ftps'/></ftp:listener></ftp:listeners>\n"
                + "  </ftp:server>\n"
                + "</beans>\n";
    }

    @Test
    public void badTlsAttributeExitsOneNamingAttributeAndDirective() throws Exception {
        Files.writeString(dir.resolve("bad.xml"), modTlsServer("engine='on' required='sometimes'", 0));
        ChildJvm jvm = ChildJvm.start(dir, "bad.xml");
        assertEquals(jvm.stderr(), 1, jvm.exitCode(60));
        assertEquals(List.of("ftpserver-modtls: cannot start: TLSRequired: bad parameter "
                + "(attribute 'required' of <modtls:tls id='tls'>)"), ourLines(jvm.stderr()));
    }

    @Test
    public void refusedTlsLogExitsOneWithMod_tlsWording() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("log.xml"), modTlsServer("engine='on' log='open/tls.log'", 0));
        ChildJvm jvm = ChildJvm.start(dir, "log.xml");
        assertEquals(jvm.stderr(), 1, jvm.exitCode(60));
        List<String> lines = ourLines(jvm.stderr());
        assertEquals(jvm.stderr(), 1, lines.size());
        assertTrue(lines.get(0), lines.get(0).startsWith("ftpserver-modtls: cannot start: TLSLog: unable to open "
                + "TLSLog: parent directory is world-writable"));
    }

    @Test
    public void modTlsServerStartsFromTheNamespace() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.writeString(dir.resolve("good.xml"), modTlsServer("engine='on' required='on' log='log/tls.log'", port));
        ChildJvm jvm = ChildJvm.start(dir, "good.xml");
        try {
            assertTrue(jvm.stdout() + jvm.stderr(), jvm.awaitStdout("FtpServer started", 60));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                        s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
                assertTrue(in.readLine().startsWith("220"));
                s.getOutputStream().write("USER demo\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                // TLSRequired on: the module, not stock FtpServer, answers USER on a clear control channel
                String reply = in.readLine();
                assertTrue(reply, reply.startsWith("550 "));
            }
        } finally {
            jvm.destroy();
        }
        assertTrue(Files.exists(dir.resolve("certs/ec-cert.pem")));
        String tlsLog = Files.readString(dir.resolve("log/tls.log"));
        assertTrue(tlsLog, tlsLog.contains("]: SSL/TLS required but absent for authentication, denying USER command"));
    }

    @Test
    public void tooManyArgumentsIsAFailure() throws Exception {
        ChildJvm jvm = ChildJvm.start(dir, "a.xml", "b.xml");
        assertEquals(1, jvm.exitCode(60));
        assertTrue(jvm.stderr(), jvm.stderr().startsWith("Usage: "));
    }
}
