package dev.modtls.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The guard's decision on real SSLSessions from real JSSE handshakes over 127.0.0.1, with stateful session caching.
 * A data connection resumes like an FTPS client does: a plain socket to the data port, layered with the control
 * connection's host and port so the client's session cache offers the control session.
 */
public class SessionReuseGuardTest {

    private static final long LIFETIME = 15840;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private SSLContext server;
    private SSLServerSocket listener;
    private int port;

    @Before
    public void setUp() throws Exception {
        server = TlsTestContexts.server();
    }

    @After
    public void tearDown() throws Exception {
        if (listener != null) {
            listener.close();
        }
        pool.shutdownNow();
    }

    private void listen(String protocol) throws IOException {
        listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 8,
            InetAddress.getLoopbackAddress());
        listener.setEnabledProtocols(new String[] {protocol});
        listener.setWantClientAuth(true);
        port = listener.getLocalPort();
    }

    /** A control connection: handshake, token bound, one byte from the server (delivers TLS 1.3 tickets). */
    private final class Control {
        final SSLSocket serverSide;
        final SSLSocket clientSide;
        final String token;

        Control(SSLContext client) throws Exception {
            Future<SSLSocket> accepted = pool.submit(() -> {
                SSLSocket s = (SSLSocket) listener.accept();
                s.startHandshake();
                return s;
            });
            clientSide = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port);
            clientSide.setSoTimeout(10_000);
            clientSide.startHandshake();
            serverSide = accepted.get(10, TimeUnit.SECONDS);
            token = SessionReuseGuard.bindToken(serverSide.getSession());
            reply();
        }

        /** A control reply: the client reads it, and with it any fresh TLS 1.3 ticket. */
        void reply() throws IOException {
            serverSide.getOutputStream().write('+');
            serverSide.getOutputStream().flush();
            assertEquals('+', clientSide.getInputStream().read());
        }

        SSLSession session() {
            return serverSide.getSession();
        }

        void close() throws IOException {
            clientSide.close();
            serverSide.close();
        }
    }

    /** A data connection's server-side session and the time its handshake began. */
    private static final class Data {
        SSLSession session;
        long start;
    }

    private Data data(SSLContext client) throws Exception {
        Data data = new Data();
        Future<SSLSocket> accepted = pool.submit(() -> {
            SSLSocket s = (SSLSocket) listener.accept();
            data.start = System.currentTimeMillis();
            s.startHandshake();
            return s;
        });
        Socket plain = new Socket("127.0.0.1", port);
        try (SSLSocket layered = (SSLSocket) client.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
            layered.setSoTimeout(10_000);
            layered.startHandshake();
            try (SSLSocket serverSide = accepted.get(10, TimeUnit.SECONDS)) {
                data.session = serverSide.getSession();
            }
        }
        return data;
    }

    private static SessionReuseGuard.Verdict check(Control control, Data data) {
        return SessionReuseGuard.check(control.session(), control.token, data.session, data.start, true, LIFETIME,
            System.currentTimeMillis());
    }

    @Test
    public void tls12ResumedControlSessionIsAccepted() throws Exception {
        listen("TLSv1.2");
        SSLContext client = TlsTestContexts.client(null);
        Control control = new Control(client);
        Data data = data(client);
        assertSame("TLS 1.2 stateful resumption gives the control session object", control.session(), data.session);
        SessionReuseGuard.Verdict verdict = check(control, data);
        assertTrue(verdict.accepted());
        assertTrue(verdict.resumed());
        assertEquals(List.of(SessionReuseGuard.REUSED), verdict.logLines());
        control.close();
    }

    @Test
    public void tls13ResumedWithTicketIsAcceptedAndRefreshKeepsItWorking() throws Exception {
        listen("TLSv1.3");
        SSLContext client = TlsTestContexts.client(null);
        Control control = new Control(client);
        for (int transfer = 1; transfer <= 3; transfer++) {
            Data data = data(client);
            assertEquals("TLSv1.3", data.session.getProtocol());
            assertNotSame(control.session(), data.session);
            SessionReuseGuard.Verdict verdict = check(control, data);
            assertTrue("transfer " + transfer + ": " + verdict, verdict.accepted());
            assertEquals(List.of(SessionReuseGuard.REUSED), verdict.logLines());
            // What the lead's afterTransfer hook does: touch the control session so the next reply carries a
            // fresh single-use ticket.
            control.session().putValue("dev.modtls.ticket-generation", transfer);
            control.reply();
        }
        control.close();
    }

    @Test
    public void fullHandshakeIsRejected() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            listen(protocol);
            Control control = new Control(TlsTestContexts.client(null));
            Data data = data(TlsTestContexts.client(null));
            SessionReuseGuard.Verdict verdict = check(control, data);
            assertFalse(protocol, verdict.accepted());
            assertEquals(protocol, List.of("client did not reuse TLS session, rejecting data connection "
                + "(see the NoSessionReuseRequired TLSOptions parameter)"), verdict.logLines());
            control.close();
            listener.close();
        }
    }

    @Test
    public void sessionOfAnotherControlConnectionIsRejected() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            listen(protocol);
            Control victim = new Control(TlsTestContexts.client(null));
            SSLContext attacker = TlsTestContexts.client(null);
            Control attackersOwn = new Control(attacker);
            Data data = data(attacker);
            assertTrue(protocol + ": the attacker's data connection resumed", data.session.getCreationTime() < data.start);
            SessionReuseGuard.Verdict verdict = check(victim, data);
            assertFalse(protocol, verdict.accepted());
            assertEquals(protocol, List.of("client reused TLS session for data connection",
                "client did not reuse TLS session from control channel, rejecting data connection "
                    + "(see the NoSessionReuseRequired TLSOptions parameter)"), verdict.logLines());
            assertTrue("and it passes for its own control connection", check(attackersOwn, data).accepted());
            victim.close();
            attackersOwn.close();
            listener.close();
        }
    }

    @Test
    public void noSessionReuseRequiredAcceptsAnything() throws Exception {
        listen("TLSv1.3");
        Control control = new Control(TlsTestContexts.client(null));
        Data data = data(TlsTestContexts.client(null));
        SessionReuseGuard.Verdict verdict = SessionReuseGuard.check(control.session(), control.token, data.session,
            data.start, false, LIFETIME, System.currentTimeMillis());
        assertTrue(verdict.accepted());
        assertFalse(verdict.resumed());
        assertEquals(List.of(), verdict.logLines());
        control.close();
    }

    @Test
    public void expiringControlSessionLogsTheWarningPair() throws Exception {
        listen("TLSv1.2");
        SSLContext client = TlsTestContexts.client(null);
        Control control = new Control(client);
        Data data = data(client);
        long now = control.session().getCreationTime() + 10_000;
        SessionReuseGuard.Verdict verdict = SessionReuseGuard.check(control.session(), control.token, data.session,
            data.start, true, 30, now);
        assertTrue(verdict.accepted());
        assertEquals(List.of("client reused TLS session for data connection",
            "control channel TLS session expires in 20 secs (30 session cache expiration)",
            "Consider using 'TLSSessionCache internal:' to increase the session cache expiration if necessary, "
                + "or renegotiate the control channel TLS session"), verdict.logLines());
        control.close();
    }

    @Test
    public void unreadableSessionsAreRejectedWithBugLines() {
        SessionReuseGuard.Verdict verdict = SessionReuseGuard.check(null, "t", null, 0, true, LIFETIME, 0);
        assertFalse(verdict.accepted());
        assertEquals(List.of("BUG: unable to determine whether client reused TLS session: SSL_get_session() for "
            + "data connection returned NULL", "rejecting data connection (see TLSOption NoSessionReuseRequired)"),
            verdict.logLines());
    }

    @Test
    public void differentClientCertificateOnDataConnectionIsAMismatch() throws Exception {
        listen("TLSv1.3");
        SSLContext alice = TlsTestContexts.client("alice");
        Control control = new Control(alice);
        java.security.cert.X509Certificate aliceCert = TlsTestContexts.certificateOf(alice);
        assertEquals(aliceCert, control.session().getPeerCertificates()[0]);

        Data resumed = data(alice);
        assertNull(SessionReuseGuard.certificateMismatch(aliceCert, resumed.session));

        Data mallory = data(TlsTestContexts.client("mallory"));
        assertEquals("unable to open data connection: control/data certificate mismatch",
            SessionReuseGuard.certificateMismatch(aliceCert, mallory.session));

        Data anonymous = data(TlsTestContexts.client(null));
        assertNull("no data certificate is not a mismatch", SessionReuseGuard.certificateMismatch(aliceCert,
            anonymous.session));
        control.close();
    }
}
