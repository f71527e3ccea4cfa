package dev.modtls.transport;

import static org.junit.Assert.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

import org.junit.Test;

/**
 * A client SSLEngine over a blocking socket, so the test decides where the bytes are cut: every byte on its own
 * (partial records, many reads per record) and the client's Finished in the same write as its first application data.
 */
public class TlsFilterRecordBoundaryTest {

    private static final class ManualClient implements AutoCloseable {
        final Socket socket;
        final SSLEngine engine;
        final boolean byteByByte;
        final ByteBuffer out = ByteBuffer.allocate(1 << 17);
        ByteBuffer in = ByteBuffer.allocate(1 << 17);
        final ByteBuffer app = ByteBuffer.allocate(1 << 17);
        final InputStream sin;
        final OutputStream sout;

        ManualClient(int port, String protocol, boolean byteByByte) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            sin = socket.getInputStream();
            sout = socket.getOutputStream();
            engine = TestTls.clientContext().createSSLEngine("localhost", port);
            engine.setUseClientMode(true);
            engine.setEnabledProtocols(new String[] {protocol});
            this.byteByByte = byteByByte;
        }

        /** Handshakes, keeping our last flight unsent (it goes out with the first data). */
        void handshake() throws Exception {
            engine.beginHandshake();
            while (true) {
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_WRAP) {
                    SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), out);
                    if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                        return;
                    }
                } else if (hs == HandshakeStatus.NEED_TASK) {
                    engine.getDelegatedTask().run();
                } else if (hs == HandshakeStatus.NEED_UNWRAP) {
                    flush();
                    SSLEngineResult r = engine.unwrap(in.flip(), app);
                    in.compact();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        read();
                    } else if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                        return;
                    }
                } else {
                    return;
                }
            }
        }

        void send(String text) throws Exception {
            engine.wrap(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), out);
            flush();
        }

        private void flush() throws Exception {
            out.flip();
            if (byteByByte) {
                while (out.hasRemaining()) {
                    sout.write(out.get());
                    sout.flush();
                }
            } else {
                sout.write(out.array(), 0, out.limit());
                sout.flush();
            }
            out.clear();
        }

        private void read() throws Exception {
            byte[] b = new byte[8192];
            int n = sin.read(b);
            if (n < 0) {
                throw new AssertionError("server closed");
            }
            in.put(b, 0, n);
        }

        /** Reads application data until {@code text} has arrived in full. */
        String receive(int length) throws Exception {
            while (app.position() < length) {
                in.flip();
                SSLEngineResult r = in.hasRemaining() ? engine.unwrap(in, app) : null;
                in.compact();
                if (r == null || r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    read();
                }
                while (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    engine.getDelegatedTask().run();
                }
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    engine.wrap(ByteBuffer.allocate(0), out);
                    flush();
                }
            }
            app.flip();
            String s = StandardCharsets.US_ASCII.decode(app).toString();
            app.clear();
            return s;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    public void finishedAndDataInOneWriteTls13() throws Exception {
        run("TLSv1.3", false);
    }

    @Test
    public void byteByByteTls13() throws Exception {
        run("TLSv1.3", true);
    }

    @Test
    public void byteByByteTls12() throws Exception {
        run("TLSv1.2", true);
    }

    private void run(String protocol, boolean byteByByte) throws Exception {
        try (EchoServer server = new EchoServer(EchoServer.Mode.IMPLICIT, TlsFilterHandshakeTest.serverSettings());
                ManualClient c = new ManualClient(server.port(), protocol, byteByByte)) {
            c.handshake();
            // TLS 1.3: the client's Finished is still in 'out' and leaves together with these two records
            c.send("first line\r\n");
            c.send("second line\r\n");
            String expected = "220 ready\r\nfirst line\r\nsecond line\r\n";
            assertEquals(expected, c.receive(expected.length()));
            assertEquals(HandshakeKind.INITIAL, server.listener.await("completed").kind);
        }
    }
}
