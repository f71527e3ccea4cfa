package dev.modtls.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.codec.textline.LineDelimiter;
import org.apache.mina.filter.codec.textline.TextLineCodecFactory;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.junit.Test;

/** Client mode (SSCN): our filter on a MINA connector talks to our server-mode filter. */
public class TlsFilterClientModeTest {

    private static final class LineClient implements AutoCloseable {
        final NioSocketConnector connector = new NioSocketConnector();
        final RecordingListener listener = new RecordingListener();
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        IoSession session;

        LineClient(int port, TlsEngineSettings settings) throws Exception {
            // one filter instance on the connector's chain: per-session state lives in the session
            connector.getFilterChain().addLast("modtls-tls",
                    new TlsFilter(TestTls.clientContext(), settings, listener));
            connector.getFilterChain().addLast("codec", new ProtocolCodecFilter(new TextLineCodecFactory(
                    StandardCharsets.UTF_8, LineDelimiter.CRLF, LineDelimiter.AUTO)));
            connector.setHandler(new IoHandlerAdapter() {
                @Override
                public void messageReceived(IoSession s, Object message) {
                    lines.add((String) message);
                }
            });
            ConnectFuture f = connector.connect(new InetSocketAddress("127.0.0.1", port));
            assertTrue(f.await(10, TimeUnit.SECONDS));
            session = f.getSession();
        }

        String line() throws InterruptedException {
            String l = lines.poll(10, TimeUnit.SECONDS);
            assertNotNull("no line within 10 s", l);
            return l;
        }

        @Override
        public void close() {
            connector.dispose(true);
        }
    }

    @Test
    public void clientModeTalksToServerMode() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (EchoServer server = new EchoServer(EchoServer.Mode.IMPLICIT,
                    TlsFilterHandshakeTest.serverSettings());
                    LineClient c = new LineClient(server.port(), TlsEngineSettings.client("localhost", server.port())
                            .protocols(protocol).endpointIdentification("HTTPS").build())) {
                RecordingListener.Event done = c.listener.await("completed");
                assertEquals(HandshakeKind.INITIAL, done.kind);
                assertEquals(protocol, done.sslSession.getProtocol());
                assertEquals("220 ready", c.line());
                c.session.write("PROTO");
                assertEquals("200 " + protocol, c.line());
                c.session.write("RENEG"); // server renegotiates / updates keys with our client-mode engine
                assertEquals("200 RENEG true", c.line());
                c.session.write("after");
                assertEquals("after", c.line());
                assertTrue(c.session.closeNow().await(10, TimeUnit.SECONDS));
                assertTrue("client close sends close_notify", server.listener.await("peerClosed").flag);
            }
        }
    }

    @Test
    public void clientModeChecksThePeerName() throws Exception {
        try (EchoServer server = new EchoServer(EchoServer.Mode.IMPLICIT, TlsFilterHandshakeTest.serverSettings());
                LineClient c = new LineClient(server.port(), TlsEngineSettings.client("wrong.example", server.port())
                        .endpointIdentification("HTTPS").build())) {
            RecordingListener.Event failed = c.listener.await("failed");
            assertFalse(failed.flag);
            assertTrue(failed.cause.toString(), failed.cause.getMessage().contains("wrong.example"));
        }
    }
}
