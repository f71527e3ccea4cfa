package dev.modtls.transport;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.codec.textline.LineDelimiter;
import org.apache.mina.filter.codec.textline.TextLineCodecFactory;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;

/**
 * A small line server that behaves like an FTP control connection where it matters: "220" on connect, "AUTH" answered
 * with a clear "234" written through {@link TlsFilter#writeClear} and then a TLS handshake, "CCC" answered with "200"
 * and {@link TlsFilter#stopTls}, "RENEG", "TICKET" (putValue on the SSLSession), "QUIT"; anything else is echoed.
 * Implicit mode adds the filter when the session is created. Binary mode echoes bytes (no codec) with back-pressure.
 */
final class EchoServer implements AutoCloseable {

    enum Mode {
        EXPLICIT, IMPLICIT, BINARY_ECHO, BINARY_SOURCE
    }

    /** What BINARY_SOURCE sends, over and over: 256 KiB of fixed pseudo-random bytes. */
    static final byte[] BLOCK = new byte[256 << 10];

    static {
        new java.util.Random(42).nextBytes(BLOCK);
    }

    final RecordingListener listener = new RecordingListener();
    final Queue<String> filterEvents = new ConcurrentLinkedQueue<>();
    final Queue<String> received = new ConcurrentLinkedQueue<>();
    final AtomicInteger sessionsClosed = new AtomicInteger();
    volatile boolean removeFilterOnStop;
    private final NioSocketAcceptor acceptor = new NioSocketAcceptor();
    private final SSLContext context;
    private final TlsEngineSettings settings;
    private final Mode mode;
    private final AtomicInteger ticket = new AtomicInteger();

    EchoServer(Mode mode, TlsEngineSettings settings) throws Exception {
        this.mode = mode;
        this.settings = settings;
        this.context = TestTls.serverContext();
        if (mode != Mode.BINARY_ECHO && mode != Mode.BINARY_SOURCE) {
            TextLineCodecFactory codec = new TextLineCodecFactory(StandardCharsets.UTF_8, LineDelimiter.CRLF,
                    LineDelimiter.AUTO);
            acceptor.getFilterChain().addLast("codec", new ProtocolCodecFilter(codec));
        }
        acceptor.setHandler(mode == Mode.BINARY_ECHO ? new BinaryHandler()
                : mode == Mode.BINARY_SOURCE ? new SourceHandler() : new LineHandler());
        acceptor.setReuseAddress(true);
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
    }

    int port() {
        return acceptor.getLocalAddress().getPort();
    }

    TlsFilter newFilter() {
        return new TlsFilter(context, settings, new TlsListener() {
            @Override
            public void handshakeCompleted(IoSession s, SSLSession ssl, HandshakeKind kind, boolean peer) {
                listener.handshakeCompleted(s, ssl, kind, peer);
            }

            @Override
            public void handshakeFailed(IoSession s, javax.net.ssl.SSLException cause, boolean timedOut) {
                listener.handshakeFailed(s, cause, timedOut);
            }

            @Override
            public void tlsFailed(IoSession s, javax.net.ssl.SSLException cause) {
                listener.tlsFailed(s, cause);
            }

            @Override
            public void tlsStopped(IoSession s, boolean closeNotify) {
                if (removeFilterOnStop) {
                    TlsFilter.of(s).removeFromChain(s);
                }
                listener.tlsStopped(s, closeNotify);
            }

            @Override
            public void peerClosed(IoSession s, boolean closeNotify) {
                listener.peerClosed(s, closeNotify);
            }
        });
    }

    @Override
    public void close() {
        acceptor.unbind();
        acceptor.dispose(true);
    }

    private abstract class BaseHandler extends IoHandlerAdapter {
        @Override
        public void sessionCreated(IoSession session) {
            if (mode != Mode.EXPLICIT) {
                session.getFilterChain().addFirst("modtls-tls", newFilter());
            }
        }

        @Override
        public void event(IoSession session, FilterEvent event) {
            if (event instanceof SslEvent) {
                filterEvents.add(session.getId() + " " + event);
            }
        }

        @Override
        public void sessionClosed(IoSession session) {
            sessionsClosed.incrementAndGet();
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            received.add("EXCEPTION " + cause);
            session.closeNow();
        }
    }

    private final class LineHandler extends BaseHandler {
        @Override
        public void sessionOpened(IoSession session) {
            session.write("220 ready");
        }

        @Override
        public void messageReceived(IoSession session, Object message) {
            String line = (String) message;
            received.add(line);
            String verb = line.trim().toUpperCase();
            TlsFilter tls = TlsFilter.of(session);
            switch (verb) {
            case "AUTH":
            case "AUTH TLS":
                TlsFilter filter = newFilter();
                session.getFilterChain().addFirst("modtls-tls", filter);
                filter.writeClear(session, "234 AUTH TLS successful");
                break;
            case "CCC":
                session.write("200 Clearing control channel protection");
                tls.stopTls(session);
                break;
            case "RENEG":
                boolean ok = tls.renegotiate(session);
                session.write("200 RENEG " + ok);
                break;
            case "TICKET":
                SSLSession ssl = tls.getSslSession(session);
                ssl.putValue("gen", ticket.incrementAndGet());
                session.write("200 TICKET");
                break;
            case "PROTO":
                session.write("200 " + tls.getSslSession(session).getProtocol());
                break;
            case "SECURE":
                session.write("200 " + session.getFilterChain().contains(SslFilter.class) + " "
                        + (session.getAttribute(SslFilter.SSL_SECURED) != null));
                break;
            case "QUIT":
                session.write("221 bye");
                session.closeOnFlush();
                break;
            default:
                session.write(line);
            }
        }
    }

    /** Echoes bytes; stops reading while more than 4 MiB of ciphertext waits to be written. */
    private final class BinaryHandler extends BaseHandler {
        private static final long HIGH = 4 << 20;
        private static final long LOW = 1 << 20;

        @Override
        public void messageReceived(IoSession session, Object message) {
            IoBuffer in = (IoBuffer) message;
            session.write(in);
            if (session.getScheduledWriteBytes() > HIGH) {
                session.suspendRead();
            }
        }

        @Override
        public void messageSent(IoSession session, Object message) {
            if (session.getScheduledWriteBytes() < LOW) {
                session.resumeRead();
            }
        }
    }

    /**
     * Reads an 8-byte count N, then sends N blocks of {@link #BLOCK} (like a RETR), keeping at most 2 MiB of
     * ciphertext scheduled, and closes after the last one was written.
     */
    private final class SourceHandler extends BaseHandler {
        private static final long HIGH = 2 << 20;

        @Override
        public void messageReceived(IoSession session, Object message) {
            IoBuffer in = (IoBuffer) message;
            IoBuffer count = (IoBuffer) session.getAttribute("count");
            if (count == null) {
                count = IoBuffer.allocate(8);
                session.setAttribute("count", count);
            }
            while (in.hasRemaining() && count.hasRemaining()) {
                count.put(in.get());
            }
            if (!count.hasRemaining() && !session.containsAttribute("left")) {
                session.setAttribute("left", count.flip().getLong());
                session.setAttribute("start", System.nanoTime());
                fill(session);
            }
        }

        @Override
        public void messageSent(IoSession session, Object message) {
            fill(session);
        }

        private void fill(IoSession session) {
            synchronized (session) {
                long left = (Long) session.getAttribute("left");
                while (left > 0 && session.getScheduledWriteBytes() < HIGH) {
                    left--;
                    session.write(IoBuffer.wrap(BLOCK));
                }
                session.setAttribute("left", left);
                if (left == 0 && !session.containsAttribute("closing")) {
                    session.setAttribute("closing", true);
                    session.closeOnFlush();
                }
            }
        }
    }
}
