package dev.modtls.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.transport.TlsFilterHandshakeTest.Client;

/** CCC: 200 inside TLS, close_notify, the client's close_notify consumed if it comes, then clear text. */
public class TlsFilterCccTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Python's FTP_TLS.ccc() way: SSLSocket.unwrap() (close_notify both ways), then clear text on the socket. */
    static final String PYTHON_CCC = String.join("\n",
            "import socket, ssl, sys",
            "port = int(sys.argv[1]); ver = sys.argv[2]",
            "def readline(sock):",
            "    buf = b''",
            "    while not buf.endswith(b'\\n'):",
            "        c = sock.recv(1)",
            "        if not c: break",
            "        buf += c",
            "    return buf.decode().rstrip('\\r\\n')",
            "s = socket.create_connection(('127.0.0.1', port), timeout=10)",
            "assert readline(s) == '220 ready'",
            "s.sendall(b'AUTH TLS\\r\\n')",
            "r = readline(s); assert r.startswith('234 '), r",
            "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)",
            "ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
            "ctx.minimum_version = ctx.maximum_version = getattr(ssl.TLSVersion, ver)",
            "t = ctx.wrap_socket(s)",
            "t.sendall(b'hello\\r\\n'); r = readline(t); assert r == 'hello', r",
            "t.sendall(b'CCC\\r\\n'); r = readline(t); assert r == '200 Clearing control channel protection', r",
            "p = t.unwrap()",
            "p.sendall(b'NOOP\\r\\n'); r = readline(p); assert r == 'NOOP', r",
            "p.sendall(b'SECURE\\r\\n'); print('secure:', readline(p))",
            "p.sendall(b'QUIT\\r\\n'); print(readline(p))",
            "print('CCC-OK', t.version() if False else ver)",
            "");

    @Test
    public void pythonUnwrapTls12() throws Exception {
        python("TLSv1_2");
    }

    @Test
    public void pythonUnwrapTls13() throws Exception {
        python("TLSv1_3");
    }

    private void python(String version) throws Exception {
        try (EchoServer server = new EchoServer(EchoServer.Mode.EXPLICIT, TlsFilterHandshakeTest.serverSettings())) {
            server.removeFilterOnStop = true;
            Processes.Result r = Processes.python(tmp.getRoot().toPath(), PYTHON_CCC, String.valueOf(server.port()),
                    version);
            assertEquals(r.toString(), 0, r.exit);
            assertTrue(r.output, r.output.contains("CCC-OK"));
            // after the stop the filter left the chain: FtpServer's isSecure() would say false
            assertTrue(r.output, r.output.contains("secure: 200 false false"));
            assertTrue(r.output, r.output.contains("221 bye"));
            RecordingListener.Event stopped = server.listener.await("stopped");
            assertTrue("the client's close_notify was consumed", stopped.flag);
            assertFalse(server.received.toString(), server.received.stream().anyMatch(l -> l.startsWith("EXCEPTION")));
            assertTrue(server.filterEvents.toString(),
                    server.filterEvents.stream().anyMatch(e -> e.endsWith("UNSECURED")));
        }
    }

    @Test
    public void clearTextWithoutCloseNotifyTls12() throws Exception {
        clearTextWithoutCloseNotify("TLSv1.2");
    }

    @Test
    public void clearTextWithoutCloseNotifyTls13() throws Exception {
        clearTextWithoutCloseNotify("TLSv1.3");
    }

    /** curl's passive-mode CCC: no close_notify from the client, just the next command in clear. */
    private void clearTextWithoutCloseNotify(String protocol) throws Exception {
        try (EchoServer server = new EchoServer(EchoServer.Mode.EXPLICIT, TlsFilterHandshakeTest.serverSettings());
                Client c = new Client(server.port()).auth(server.port(), protocol)) {
            c.send("CCC");
            assertEquals("200 Clearing control channel protection", c.line());
            // the server's close_notify record is next on the wire; read past it by hand
            DataInputStream raw = new DataInputStream(c.plain.getInputStream());
            int type = raw.readUnsignedByte();
            assertTrue("record type " + type, type == 21 || type == 23);
            raw.readUnsignedShort();
            int length = raw.readUnsignedShort();
            raw.readFully(new byte[length]);
            c.plain.getOutputStream().write("PWD\r\nSECURE\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = c.plain.getInputStream();
            assertEquals("PWD", TestTls.readLine(in));
            assertEquals("200 true false", TestTls.readLine(in));
            RecordingListener.Event stopped = server.listener.await("stopped");
            assertFalse(stopped.flag);
        }
    }
}
