package dev.modtls.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import dev.modtls.transport.TlsFilterHandshakeTest.Client;

/** Server- and client-initiated renegotiation (TLS 1.2) and KeyUpdate (TLS 1.3) with JSSE clients. */
public class TlsFilterRenegotiationTest {

    @Test
    public void serverInitiatedRenegotiationTls12() throws Exception {
        serverInitiated("TLSv1.2", HandshakeKind.RENEGOTIATION);
    }

    @Test
    public void serverInitiatedKeyUpdateTls13() throws Exception {
        serverInitiated("TLSv1.3", HandshakeKind.KEY_UPDATE);
    }

    private void serverInitiated(String protocol, HandshakeKind expected) throws Exception {
        try (EchoServer server = new EchoServer(EchoServer.Mode.EXPLICIT, TlsFilterHandshakeTest.serverSettings());
                Client c = new Client(server.port()).auth(server.port(), protocol)) {
            assertEquals(HandshakeKind.INITIAL, server.listener.await("completed").kind);
            for (int round = 1; round <= 3; round++) {
                c.send("RENEG");
                assertEquals("200 RENEG true", c.line());
                // the client answers the HelloRequest / KeyUpdate while it reads and writes on
                c.send("data after renegotiation " + round);
                assertEquals("data after renegotiation " + round, c.line());
                RecordingListener.Event e = server.listener.await("completed");
                assertEquals(expected, e.kind);
                assertFalse("server-initiated", e.flag);
                assertEquals(e.sslSession, e.securedAttribute);
            }
            c.send("PROTO");
            assertEquals("200 " + protocol, c.line());
            // the client's answering KeyUpdate and the NewSessionTickets are not handshakes to report
            Thread.sleep(100);
            assertFalse(server.listener.events.toString(),
                    server.listener.events.stream().anyMatch(e -> e.type.equals("completed")));
        }
    }

    @Test
    public void clientInitiatedRenegotiationTls12IsReportedAsPeerInitiated() throws Exception {
        clientInitiated("TLSv1.2", HandshakeKind.RENEGOTIATION);
    }

    @Test
    public void clientKeyUpdateTls13IsReportedAsPeerInitiated() throws Exception {
        clientInitiated("TLSv1.3", HandshakeKind.KEY_UPDATE);
    }

    private void clientInitiated(String protocol, HandshakeKind expected) throws Exception {
        try (EchoServer server = new EchoServer(EchoServer.Mode.EXPLICIT, TlsFilterHandshakeTest.serverSettings());
                Client c = new Client(server.port()).auth(server.port(), protocol)) {
            assertEquals(HandshakeKind.INITIAL, server.listener.await("completed").kind);
            c.send("before");
            assertEquals("before", c.line());
            c.tls.startHandshake(); // TLS 1.2: renegotiation; TLS 1.3: KeyUpdate(update_requested)
            c.send("after");
            assertEquals("after", c.line());
            RecordingListener.Event e = server.listener.await("completed");
            assertEquals(expected, e.kind);
            assertTrue("peer-initiated", e.flag);
            c.send("still fine");
            assertEquals("still fine", c.line());
        }
    }
}
