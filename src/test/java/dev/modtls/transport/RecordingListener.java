package dev.modtls.transport;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/** Records every TlsListener call; on a failed handshake it answers like mod_tls: a clear 421, then close. */
class RecordingListener implements TlsListener {

    /** One recorded call. */
    static final class Event {
        final String type;
        final IoSession session;
        final HandshakeKind kind;
        final boolean flag;
        final SSLException cause;
        final SSLSession sslSession;
        final Object securedAttribute;
        final long nanos = System.nanoTime();

        Event(String type, IoSession session, HandshakeKind kind, boolean flag, SSLException cause,
                SSLSession sslSession) {
            this.type = type;
            this.session = session;
            this.kind = kind;
            this.flag = flag;
            this.cause = cause;
            this.sslSession = sslSession;
            this.securedAttribute = session.getAttribute(SslFilter.SSL_SECURED);
        }

        @Override
        public String toString() {
            return type + (kind != null ? " " + kind : "") + " flag=" + flag + (cause != null ? " " + cause : "");
        }
    }

    final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    @Override
    public void handshakeCompleted(IoSession session, SSLSession sslSession, HandshakeKind kind,
            boolean peerInitiated) {
        events.add(new Event("completed", session, kind, peerInitiated, null, sslSession));
    }

    @Override
    public void handshakeFailed(IoSession session, SSLException cause, boolean timedOut) {
        events.add(new Event("failed", session, null, timedOut, cause, null));
        TlsFilter filter = TlsFilter.of(session);
        filter.writeClear(session, "421 TLS handshake failed");
        session.closeOnFlush();
    }

    @Override
    public void tlsFailed(IoSession session, SSLException cause) {
        events.add(new Event("tlsFailed", session, null, false, cause, null));
    }

    @Override
    public void tlsStopped(IoSession session, boolean closeNotifyReceived) {
        events.add(new Event("stopped", session, null, closeNotifyReceived, null, null));
    }

    @Override
    public void peerClosed(IoSession session, boolean closeNotifyReceived) {
        events.add(new Event("peerClosed", session, null, closeNotifyReceived, null, null));
    }

    /** The next event of this type (others of other types are kept), waiting at most 10 s. */
    Event await(String type) throws InterruptedException {
        return await(e -> e.type.equals(type), "event " + type);
    }

    Event await(Predicate<Event> match, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            for (Event e : events) {
                if (match.test(e)) {
                    events.remove(e);
                    return e;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + what + " within 10 s; have " + events);
    }
}
