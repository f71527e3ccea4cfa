package dev.modtls.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Runs one real TLS handshake between a server context and a client context over TCP on 127.0.0.1 (ephemeral port),
 * then exchanges one byte each way so that TLS 1.3 post-handshake messages and client-certificate failures surface.
 * Every wait is bounded (5 s socket timeouts).
 */
public final class Handshakes {

    private static final int TIMEOUT_MS = 5000;

    private Handshakes() {
    }

    /** What each side saw. A failed side has its exception set and its session null. */
    public static final class Result {
        public volatile SSLSession serverSession;
        public volatile SSLSession clientSession;
        public volatile Exception serverError;
        public volatile Exception clientError;

        public boolean ok() {
            return serverError == null && clientError == null && serverSession != null && clientSession != null;
        }

        @Override
        public String toString() {
            return "server=" + (serverSession == null ? serverError : serverSession.getProtocol()) + " client="
                    + (clientSession == null ? clientError : clientSession.getProtocol());
        }
    }

    /** One handshake against a fresh listener. */
    public static Result run(SSLContext server, Consumer<SSLServerSocket> serverSetup, SSLContext client,
            Consumer<SSLSocket> clientSetup) throws IOException {
        try (Server s = listen(server, serverSetup)) {
            return s.connect(client, clientSetup);
        }
    }

    /** A listener on 127.0.0.1 that serves one connection per {@link Server#connect} (same port each time). */
    public static Server listen(SSLContext server, Consumer<SSLServerSocket> serverSetup) throws IOException {
        SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 4,
                InetAddress.getLoopbackAddress());
        ss.setSoTimeout(TIMEOUT_MS);
        if (serverSetup != null) {
            serverSetup.accept(ss);
        }
        return new Server(ss);
    }

    /** A listening server socket; the JDK client caches sessions per host and port, so resumption needs this. */
    public static final class Server implements AutoCloseable {
        private final SSLServerSocket ss;

        Server(SSLServerSocket ss) {
            this.ss = ss;
        }

        public int port() {
            return ss.getLocalPort();
        }

        public Result connect(SSLContext client, Consumer<SSLSocket> clientSetup) {
            Result r = new Result();
            CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(TIMEOUT_MS);
                    s.startHandshake();
                    InputStream in = s.getInputStream();
                    int b = in.read();
                    if (b < 0) {
                        throw new IOException("client closed");
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(b);
                    out.flush();
                    r.serverSession = s.getSession();
                } catch (Exception e) {
                    r.serverError = e;
                }
            });
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket()) {
                c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()), TIMEOUT_MS);
                c.setSoTimeout(TIMEOUT_MS);
                if (clientSetup != null) {
                    clientSetup.accept(c);
                }
                c.startHandshake();
                c.getOutputStream().write(42);
                c.getOutputStream().flush();
                if (c.getInputStream().read() != 42) {
                    throw new IOException("server did not echo");
                }
                r.clientSession = c.getSession();
            } catch (Exception e) {
                r.clientError = e;
            }
            try {
                serverSide.get(TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                if (r.serverError == null) {
                    r.serverError = e;
                }
            }
            return r;
        }

        @Override
        public void close() throws IOException {
            ss.close();
        }
    }
}
