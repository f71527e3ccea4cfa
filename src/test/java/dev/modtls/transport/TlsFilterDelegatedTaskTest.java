package dev.modtls.transport;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import dev.modtls.pki.SelfSignedCertificates;
import dev.modtls.pki.SelfSignedCertificates.KeyKind;

/**
 * The engine's delegated tasks run off the I/O processor: on an acceptor with a single processor, a client whose
 * certificate check blocks (a trust manager standing in for a slow OCSP responder) does not hold up another client's
 * handshake and echo, and the handshake timeout still fires while the check blocks.
 */
public class TlsFilterDelegatedTaskTest {

    private static final long BLOCK_SECONDS = 10;

    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private final CompletableFuture<Boolean> timedOut = new CompletableFuture<>();
    private KeyPair slowKey;
    private KeyPair fastKey;
    private X509Certificate slowCert;
    private X509Certificate fastCert;
    private NioSocketAcceptor acceptor;
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @Before
    public void setUp() {
        slowKey = SelfSignedCertificates.generateKeyPair(KeyKind.EC);
        fastKey = SelfSignedCertificates.generateKeyPair(KeyKind.EC);
        slowCert = SelfSignedCertificates.selfSign(slowKey, KeyKind.EC, "slow");
        fastCert = SelfSignedCertificates.selfSign(fastKey, KeyKind.EC, "fast");
    }

    @After
    public void tearDown() {
        slowRelease.countDown();
        clients.shutdownNow();
        if (acceptor != null) {
            acceptor.unbind();
            acceptor.dispose(true);
        }
    }

    /** Verifies client chains by identity; the "slow" certificate's check blocks until the test releases it. */
    private final class BlockingTrust extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain[0].equals(slowCert)) {
                slowEntered.countDown();
                try {
                    slowRelease.await(BLOCK_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (!chain[0].equals(fastCert)) {
                throw new CertificateException("unknown client certificate");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("server side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("server side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("server side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {slowCert, fastCert};
        }
    }

    /** Implicit TLS echo server on one I/O processor, client certificates required. */
    private int start(Duration handshakeTimeout) throws Exception {
        SSLContext context = TestTls.serverContext(new BlockingTrust());
        TlsEngineSettings settings = TlsEngineSettings.server().protocols("TLSv1.2", "TLSv1.3")
                .clientAuth(TlsEngineSettings.ClientAuth.NEED).handshakeTimeout(handshakeTimeout).build();
        TlsListener listener = new TlsListener() {
            @Override
            public void handshakeFailed(IoSession session, SSLException cause, boolean timeout) {
                timedOut.complete(timeout);
                session.closeNow();
            }
        };
        acceptor = new NioSocketAcceptor(1);
        acceptor.setHandler(new IoHandlerAdapter() {
            @Override
            public void sessionCreated(IoSession session) {
                session.getFilterChain().addFirst("modtls-tls", new TlsFilter(context, settings, listener));
            }

            @Override
            public void messageReceived(IoSession session, Object message) {
                session.write(message);
            }
        });
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
        return acceptor.getLocalAddress().getPort();
    }

    private SSLSocket connect(int port, KeyPair key, X509Certificate cert, String protocol) throws Exception {
        SSLSocket s = (SSLSocket) TestTls.clientContext(key, cert).getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(5_000);
        s.setEnabledProtocols(new String[] {protocol});
        return s;
    }

    private static void echo(SSLSocket s, String text) throws Exception {
        byte[] sent = text.getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(sent);
        s.getOutputStream().flush();
        byte[] back = new byte[sent.length];
        InputStream in = s.getInputStream();
        int n = 0;
        while (n < back.length) {
            int r = in.read(back, n, back.length - n);
            assertTrue("connection ended after " + n + " bytes", r > 0);
            n += r;
        }
        assertArrayEquals(sent, back);
    }

    private void slowCheckDoesNotBlockOthers(String protocol) throws Exception {
        int port = start(Duration.ZERO);
        Future<?> slow = clients.submit(() -> {
            try (SSLSocket s = connect(port, slowKey, slowCert, protocol)) {
                s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(BLOCK_SECONDS + 5));
                s.startHandshake();
                echo(s, "slow client");
            }
            return null;
        });
        assertTrue("the slow check never started", slowEntered.await(10, TimeUnit.SECONDS));

        long start = System.nanoTime();
        try (SSLSocket fast = connect(port, fastKey, fastCert, protocol)) {
            fast.startHandshake();
            assertEquals(protocol, fast.getSession().getProtocol());
            echo(fast, "fast client, same I/O processor");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFalse("the slow client finished first", slow.isDone());
        assertTrue("the fast client took " + millis + " ms", millis < 3_000);

        slowRelease.countDown();
        slow.get(10, TimeUnit.SECONDS); // its handshake resumes on the pool thread and its echo works
    }

    @Test
    public void slowCertificateCheckDoesNotBlockOtherSessionsTls12() throws Exception {
        slowCheckDoesNotBlockOthers("TLSv1.2");
    }

    @Test
    public void slowCertificateCheckDoesNotBlockOtherSessionsTls13() throws Exception {
        slowCheckDoesNotBlockOthers("TLSv1.3");
    }

    private void timeoutFiresDuringSlowCheck(String protocol) throws Exception {
        int port = start(Duration.ofSeconds(1));
        try (SSLSocket s = connect(port, slowKey, slowCert, protocol)) {
            clients.submit(() -> {
                s.startHandshake();
                return null;
            });
            assertTrue("the slow check never started", slowEntered.await(10, TimeUnit.SECONDS));
            long start = System.nanoTime();
            assertTrue("handshakeFailed did not report a timeout", timedOut.get(5, TimeUnit.SECONDS));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3_000);
        }
        // the pool thread finishes the task later and finds the connection failed: nothing more happens
        slowRelease.countDown();
    }

    @Test
    public void handshakeTimeoutFiresWhileCheckBlocksTls12() throws Exception {
        timeoutFiresDuringSlowCheck("TLSv1.2");
    }

    @Test
    public void handshakeTimeoutFiresWhileCheckBlocksTls13() throws Exception {
        timeoutFiresDuringSlowCheck("TLSv1.3");
    }
}
