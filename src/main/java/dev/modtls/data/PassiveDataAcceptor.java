package dev.modtls.data;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.DataConnectionException;
import org.apache.mina.core.RuntimeIoException;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side of one PASV/EPSV: a MINA acceptor on the shared processor pool, bound to a port from the
 * listener's passive range, that hands out exactly one data session. The accepted session's reads stay suspended
 * until the transfer command opens it (so no TLS byte is processed before PROT is known); the acceptor unbinds after
 * the first accepted connection.
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

    private int reservedPort = -1;
    private IoSession accepted;
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
            throw e;
        } finally {
            // Kept reserved while trying, so the range did not hand the same busy port out again.
            for (int port : failed) {
                config.releasePassivePort(port);
            }
        }
    }

    /** Waits (command thread) for the client's connection; the session's reads are still suspended. */
    synchronized IoSession awaitConnection() throws IOException {
        long deadline = System.currentTimeMillis() + idleMillis;
        while (accepted == null) {
            if (closed) {
                throw new IOException("passive data connection closed");
            }
            long left = deadline - System.currentTimeMillis();
            if (idleMillis > 0 && left <= 0) {
                throw new SocketTimeoutException("no passive data connection within " + idleMillis / 1000 + " s");
            }
            try {
                wait(idleMillis > 0 ? left : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the data connection");
            }
        }
        handedOut = true;
        return accepted;
    }

    /**
     * Closes the acceptor and returns the port to the range before returning (so a PASV right after gets it
     * again); an accepted session not yet handed to a transfer is closed too. Disposing waits for the acceptor
     * thread: call it from a command thread (FtpServer does), never from an I/O thread.
     */
    void close() {
        IoSession orphan;
        int port;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            orphan = handedOut ? null : accepted;
            port = reservedPort;
            notifyAll();
        }
        if (orphan != null) {
            orphan.closeNow();
        }
        acceptor.dispose(true);
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
            synchronized (PassiveDataAcceptor.this) {
                take = !closed && accepted == null && (expectedPeer == null || expectedPeer.equals(peer));
                if (take) {
                    DataChannel channel = new DataChannel(session, idleMillis);
                    session.setAttribute(DataChannel.KEY, channel);
                    accepted = session;
                    PassiveDataAcceptor.this.notifyAll();
                }
            }
            if (!take) {
                if (expectedPeer != null && !expectedPeer.equals(peer)) {
                    LOG.warn("Passive IP Check failed. Closing data connection from {} as it does not match the "
                        + "expected address {}", peer, expectedPeer);
                }
                session.closeNow();
                return;
            }
            transport.execute(acceptor::unbind);
        }
    }
}
