package dev.modtls.data;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.DataConnectionException;
import org.apache.mina.core.RuntimeIoException;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side of one PASV/EPSV: a MINA acceptor on the shared processor pool, bound to a port from the
 * listener's passive range. Accepted sessions keep their reads suspended until the transfer command opens the data
 * connection (so no TLS byte is processed before PROT is known).
 *
 * <p>Data-connection theft: whoever reaches the passive port first must not get (or spoil) the transfer. So the
 * acceptor keeps listening until a transfer has taken its connection, holding up to {@link #MAX_CANDIDATES}
 * connections from the expected address (a further one replaces the oldest). A clear transfer takes the first one. A protected transfer runs the TLS
 * handshake and the session-reuse guard on every candidate at once and takes the first that passes; a thief's
 * connection, which cannot resume this control connection's TLS session, is refused and logged, and the real
 * client's transfer completes. When every candidate was refused and no other arrives within
 * {@link #REFUSAL_GRACE_MILLIS}, the transfer fails (the mod_tls 425) instead of waiting for the idle timeout.
 *
 * <p>Passive IP check: a connection from an address other than the control connection's is closed at once and the
 * acceptor keeps waiting for the right client (stock FtpServer fails the whole transfer instead, which lets whoever
 * races to the port deny the transfer).
 */
final class PassiveDataAcceptor {

    private static final Logger LOG = LoggerFactory.getLogger(PassiveDataAcceptor.class);

    /** How many ports of the range are tried when binding fails (another process holds the port). */
    private static final int BIND_ATTEMPTS = 16;

    private final DataTransport transport;
    private final DataConnectionConfiguration config;
    private final InetAddress expectedPeer;
    private final long idleMillis;
    private final NioSocketAcceptor acceptor;

    /** Connections held at once for one transfer; more are closed (bounds what a flood of connects can cost). */
    static final int MAX_CANDIDATES = 4;

    /** How long a protected transfer waits for another connection once every candidate was refused. */
    static final long REFUSAL_GRACE_MILLIS = 1000;

    /** How often a protected transfer looks at its candidates' handshakes. */
    private static final long POLL_MILLIS = 10;

    private int reservedPort = -1;
    private final List<IoSession> candidates = new ArrayList<>();
    private Consumer<IoSession> armer;
    private IoSession lastRefused;
    private long lastRefusedAt;
    private boolean handedOut;
    private boolean closed;

    /**
     * @param expectedPeer the control connection's peer address when the passive IP check is on, else null
     */
    PassiveDataAcceptor(DataTransport transport, DataConnectionConfiguration config, InetAddress expectedPeer,
                        long idleMillis) {
        this.transport = transport;
        this.config = config;
        this.expectedPeer = expectedPeer;
        this.idleMillis = idleMillis;
        this.acceptor = transport.newAcceptor();
        acceptor.setHandler(new AcceptingHandler());
    }

    /** Binds to the next free port of the passive range on {@code address}; returns the bound address. */
    InetSocketAddress bind(InetAddress address) throws DataConnectionException {
        List<Integer> failed = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
                int port = config.requestPassivePort();
                if (port == -1) {
                    throw new DataConnectionException("Cannot find an available passive port.");
                }
                try {
                    acceptor.bind(new InetSocketAddress(address, port));
                    synchronized (this) {
                        reservedPort = port;
                    }
                    return acceptor.getLocalAddress();
                } catch (IOException | RuntimeIoException e) {
                    failed.add(port);
                    if (port == 0) {
                        throw new DataConnectionException("Failed to bind passive data socket: " + e.getMessage(), e);
                    }
                    LOG.debug("Passive port {} unavailable, trying another: {}", port, e.toString());
                }
            }
            throw new DataConnectionException("Cannot find an available passive port.");
        } catch (DataConnectionException e) {
            acceptor.dispose(false);
            transport.released(acceptor);
            throw e;
        } finally {
            // Kept reserved while trying, so the range did not hand the same busy port out again.
            for (int port : failed) {
                config.releasePassivePort(port);
            }
        }
    }

    /** The outcome of {@link #awaitSecured}: the connection that passed, or the last one refused. */
    static final class Outcome {
        final IoSession winner;
        final IoSession refused;

        Outcome(IoSession winner, IoSession refused) {
            this.winner = winner;
            this.refused = refused;
        }
    }

    /**
     * A clear transfer: waits (command thread) for the first connection from the expected address and takes it;
     * its reads are still suspended.
     */
    synchronized IoSession awaitConnection() throws IOException {
        long deadline = idleMillis > 0 ? System.currentTimeMillis() + idleMillis : Long.MAX_VALUE;
        while (candidates.isEmpty()) {
            waitUntil(deadline);
        }
        return handOut(candidates.get(0));
    }

    /**
     * A protected transfer: {@code arm} (TLS filter, guard, open the read gate) is applied to every candidate,
     * present and future; waits until one of them is secured and accepted by the guard, and takes it. Returns the
     * last refused candidate instead when all were refused and none is left, or throws when nobody connects in time.
     */
    Outcome awaitSecured(Consumer<IoSession> arm, long waitMillis) throws IOException {
        List<IoSession> present;
        synchronized (this) {
            armer = arm;
            present = new ArrayList<>(candidates);
        }
        for (IoSession s : present) {
            arm.accept(s);
        }
        long deadline = System.currentTimeMillis() + waitMillis;
        synchronized (this) {
            while (true) {
                for (IoSession s : new ArrayList<>(candidates)) {
                    DataChannel.TlsState state = DataChannel.of(s).tlsState();
                    if (state == DataChannel.TlsState.SECURED) {
                        return new Outcome(handOut(s), null);
                    }
                    if (state == DataChannel.TlsState.REFUSED || state == DataChannel.TlsState.FAILED) {
                        candidates.remove(s);
                        lastRefused = s;
                        lastRefusedAt = System.currentTimeMillis();
                        s.closeOnFlush();
                    }
                }
                // Everyone refused: a real client that connects only after the 150 still gets a short grace;
                // a client that never resumes (stock ftplib) gets its 425 after it, not after the idle timeout.
                if (candidates.isEmpty() && lastRefused != null
                        && System.currentTimeMillis() - lastRefusedAt >= REFUSAL_GRACE_MILLIS) {
                    return new Outcome(null, lastRefused);
                }
                if (System.currentTimeMillis() >= deadline) {
                    if (!candidates.isEmpty()) {
                        // still handshaking: the transfer reports the oldest one's timeout
                        IoSession slow = candidates.get(0);
                        handOut(slow);
                        return new Outcome(null, slow);
                    }
                    throw new SocketTimeoutException("no passive data connection within " + waitMillis / 1000 + " s");
                }
                waitUntil(Math.min(deadline, System.currentTimeMillis() + POLL_MILLIS));
            }
        }
    }

    /** Takes {@code chosen} for the transfer; the other candidates are closed and the acceptor stops listening. */
    private IoSession handOut(IoSession chosen) {
        handedOut = true;
        for (IoSession other : candidates) {
            if (other != chosen) {
                other.closeNow();
            }
        }
        candidates.clear();
        transport.execute(acceptor::unbind);
        return chosen;
    }

    private void waitUntil(long deadline) throws IOException {
        if (closed) {
            throw new IOException("passive data connection closed");
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 && candidates.isEmpty()) {
            throw new SocketTimeoutException("no passive data connection in time");
        }
        try {
            wait(Math.max(1, left));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the data connection");
        }
    }

    /**
     * Closes the acceptor and returns the port to the range before returning (so a PASV right after gets it
     * again); an accepted session not yet handed to a transfer is closed too. Disposing waits for the acceptor
     * thread: call it from a command thread (FtpServer does), never from an I/O thread.
     */
    void close() {
        List<IoSession> orphans;
        int port;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            orphans = new ArrayList<>(candidates);
            candidates.clear();
            port = reservedPort;
            notifyAll();
        }
        for (IoSession orphan : orphans) {
            orphan.closeNow();
        }
        acceptor.dispose(true);
        transport.released(acceptor);
        if (port != -1) {
            config.releasePassivePort(port);
        }
    }

    private final class AcceptingHandler extends DataSessionHandler {
        @Override
        public void sessionCreated(IoSession session) {
            session.suspendRead();
            InetAddress peer = ((InetSocketAddress) session.getRemoteAddress()).getAddress();
            boolean take;
            IoSession evicted = null;
            Consumer<IoSession> arm;
            synchronized (PassiveDataAcceptor.this) {
                take = !closed && !handedOut && (expectedPeer == null || expectedPeer.equals(peer));
                arm = armer;
                if (take && candidates.size() >= MAX_CANDIDATES) {
                    // full: the oldest goes, so idle connections opened to squat the port cannot keep the real
                    // client out (it connects after them)
                    evicted = candidates.remove(0);
                }
                if (take) {
                    session.setAttribute(DataChannel.KEY, new DataChannel(session, idleMillis));
                    candidates.add(session);
                    PassiveDataAcceptor.this.notifyAll();
                }
            }
            if (!take) {
                if (expectedPeer != null && !expectedPeer.equals(peer)) {
                    LOG.warn("Passive IP Check failed. Closing data connection from {} as it does not match the "
                        + "expected address {}", peer, expectedPeer);
                } else {
                    LOG.debug("Closing data connection from {}: the passive port is closed or already taken", peer);
                }
                session.closeNow();
                return;
            }
            if (evicted != null) {
                LOG.debug("Passive port full: dropping the oldest waiting data connection {}", evicted);
                evicted.closeNow();
            }
            if (arm != null) {
                arm.accept(session);
            }
        }
    }
}
