package dev.modtls.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import org.junit.Test;

/** AUTH-style explicit TLS with JSSE clients: clear 234, handshake, echo, events, failures, timeout. */
public class TlsFilterHandshakeTest {

    static final class Client implements AutoCloseable {
        final Socket plain;
        SSLSocket tls;
        InputStream in;
        OutputStream out;

        Client(int port) throws Exception {
            plain = new Socket("127.0.0.1", port);
            plain.setSoTimeout(10_000);
            in = plain.getInputStream();
            out = plain.getOutputStream();
        }

        String line() throws Exception {
            return TestTls.readLine(in);
        }

        void send(String line) throws Exception {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** 220, AUTH, 234 in clear, then a client handshake with the given protocol. */
        Client auth(int port, String protocol) throws Exception {
            assertEquals("220 ready", line());
            send("AUTH TLS");
            assertEquals("234 AUTH TLS successful", line());
            tls = (SSLSocket) TestTls.clientContext().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            tls.setEnabledProtocols(new String[] {protocol});
            tls.startHandshake();
            in = tls.getInputStream();
            out = tls.getOutputStream();
            return this;
        }

        @Override
        public void close() throws Exception {
            if (tls != null) {
                tls.close();
            }
            plain.close();
        }
    }

    static TlsEngineSettings serverSettings() {
        return TlsEngineSettings.server().protocols("TLSv1.2", "TLSv1.3").build();
    }

    @Test
    public void authThenTls12() throws Exception {
        authThenEcho("TLSv1.2");
    }

    @Test
    public void authThenTls13() throws Exception {
        authThenEcho("TLSv1.3");
    }

    private void authThenEcho(String protocol) throws Exception {
        try (EchoServer server = new EchoServer(EchoServer.Mode.EXPLICIT, serverSettings());
                Client c = new Client(server.port()).auth(server.port(), protocol)) {
            RecordingListener.Event done = server.listener.await("completed");
            assertEquals(HandshakeKind.INITIAL, done.kind);
            assertFalse(done.flag);
            assertEquals(protocol, done.sslSession.getProtocol());
            assertSame("SSL_SECURED holds the session when the listener hears of it", done.sslSession,
                    done.securedAttribute);
            c.send("hello over " + protocol);
            assertEquals("hello over " + protocol, c.line());
            c.send("PROTO");
            assertEquals("200 " + protocol, c.line());
            c.send("SECURE");
            assertEquals("200 true true", c.line());
            assertTrue(server.filterEvents.toString(), server.filterEvents.stream().anyMatch(e -> e.endsWith("SECURED")));
            assertTrue(server.listener.events.isEmpty());
        }
    }

    @Test
    public void implicitWritesDuringHandshakeWaitForIt() throws Exception {
        // the 220 is written in sessionOpened, before the client's ClientHello: it must come encrypted, after it
        try (EchoServer server = new EchoServer(EchoServer.Mode.IMPLICIT, serverSettings());
                SSLSocket s = (SSLSocket) TestTls.clientContext().getSocketFactory().createSocket("127.0.0.1",
                        server.port())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            assertEquals("220 ready", TestTls.readLine(s.getInputStream()));
            s.getOutputStream().write("ping\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("ping", TestTls.readLine(s.getInputStream()));
        }
    }

    @Test
    public void clearTextInsteadOfClientHelloGets421AndIsNeverDecoded() throws Exception {
        try (EchoServer server = new EchoServer(EchoServer.Mode.EXPLICIT, serverSettings());
                Client c = new Client(server.port())) {
            assertEquals("220 ready", c.line());
            c.send("AUTH TLS");
            assertEquals("234 AUTH TLS successful", c.line());
            c.send("FEAT");
            c.send("SYST");
            byte[] rest = TestTls.readAll(c.in);
            String text = new String(rest, StandardCharsets.ISO_8859_1);
            assertTrue(text, text.endsWith("421 TLS handshake failed\r\n"));
            int alertBytes = rest.length - "421 TLS handshake failed\r\n".length();
            assertTrue("only a TLS alert may precede the 421: " + text,
                    alertBytes == 0 || (rest[0] == 21 && alertBytes == 7));
            RecordingListener.Event failed = server.listener.await("failed");
            assertFalse(failed.flag);
            assertNotNull(failed.cause);
            assertFalse("FEAT reached the decoder", server.received.contains("FEAT"));
            assertFalse(server.received.contains("SYST"));
            assertNull(failed.securedAttribute);
        }
    }

    @Test
    public void handshakeTimeoutFailsWithModTlsMessage() throws Exception {
        TlsEngineSettings settings = TlsEngineSettings.server().handshakeTimeout(Duration.ofSeconds(1)).build();
        try (EchoServer server = new EchoServer(EchoServer.Mode.EXPLICIT, settings);
                Client c = new Client(server.port())) {
            assertEquals("220 ready", c.line());
            c.send("AUTH TLS");
            long start = System.nanoTime();
            assertEquals("234 AUTH TLS successful", c.line());
            assertEquals("421 TLS handshake failed", c.line());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue("after " + millis + " ms", millis >= 900 && millis < 5000);
            assertEquals(-1, c.in.read());
            RecordingListener.Event failed = server.listener.await("failed");
            assertTrue(failed.flag);
            assertEquals("TLS negotiation timed out (1 seconds)", failed.cause.getMessage());
        }
    }

    @Test
    public void serverCloseSendsCloseNotify() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (EchoServer server = new EchoServer(EchoServer.Mode.EXPLICIT, serverSettings());
                    Client c = new Client(server.port()).auth(server.port(), protocol)) {
                c.send("QUIT");
                assertEquals("221 bye", c.line());
                // a clean EOF: JSSE throws "closed without close_notify"-style errors otherwise
                assertEquals(protocol, -1, c.in.read());
                waitFor(() -> server.sessionsClosed.get() == 1);
                assertTrue(server.filterEvents.toString(),
                        server.filterEvents.stream().anyMatch(e -> e.endsWith("UNSECURED")));
            }
        }
    }

    @Test
    public void peerCloseWithAndWithoutCloseNotifyIsTold() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (EchoServer server = new EchoServer(EchoServer.Mode.EXPLICIT, serverSettings())) {
                Client clean = new Client(server.port()).auth(server.port(), protocol);
                clean.send("x");
                assertEquals("x", clean.line());
                clean.tls.close(); // sends close_notify
                RecordingListener.Event e = server.listener.await("peerClosed");
                assertTrue(protocol + " clean close", e.flag);

                Client rude = new Client(server.port()).auth(server.port(), protocol);
                rude.send("y");
                assertEquals("y", rude.line());
                rude.plain.close(); // TCP close under TLS: no close_notify
                RecordingListener.Event r = server.listener.await("peerClosed");
                assertFalse(protocol + " truncated close", r.flag);
            }
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
