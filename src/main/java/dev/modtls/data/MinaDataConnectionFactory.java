package dev.modtls.data;

import dev.modtls.config.CipherSuites;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLSession;

import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.DataConnectionException;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.IODataConnectionFactory;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.future.CloseFuture;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.modtls.log.TlsLog;

/**
 * FtpServer's data connection factory on MINA: a one-shot passive acceptor per PASV/EPSV, the shared connector for
 * PORT/EPRT, and at {@link #openConnection()} (after the 150 reply, in the command thread) the TLS filter and the
 * session-reuse guard when the transfer is protected.
 *
 * <p>It extends {@link IODataConnectionFactory} (overriding every public method; none of the stock socket code
 * runs) because the stock transfer commands test {@code instanceof IODataConnectionFactory} for their
 * "503 PORT or PASV must be issued first" reply. One instance per control session, installed by
 * {@link DataConnections#install}.
 */
public class MinaDataConnectionFactory extends IODataConnectionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(MinaDataConnectionFactory.class);

    /** Longest wait for a graceful close (close_notify, FIN) at the end of a transfer. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final FtpIoSession control;
    private final DataTransport transport;

    private InetAddress serverControlAddress;
    private InetAddress address;
    private int port;
    private boolean passive;
    private long requestTime;
    private boolean secureFlag;
    private boolean zip;

    private PassiveDataAcceptor pendingAcceptor;
    private DataChannel current;
    private boolean currentProtected;
    private boolean acceptedLineLogged;

    private long lastInboundPeak;
    private long lastOutboundPeak;

    public MinaDataConnectionFactory(FtpServerContext context, FtpIoSession control, DataTransport transport) {
        super(context, control);
        this.control = control;
        this.transport = transport;
        this.secureFlag = super.isSecure();
    }

    // ---- PASV / PORT -----------------------------------------------------------------------------------------

    @Override
    public InetSocketAddress initPassiveDataConnection() throws DataConnectionException {
        closeDataConnection();
        DataConnectionConfiguration config = dataConfig();
        InetAddress bindAddress;
        if (config.getPassiveAddress() == null) {
            bindAddress = serverControlAddress;
        } else {
            try {
                bindAddress = InetAddress.getByName(config.getPassiveAddress());
            } catch (UnknownHostException e) {
                throw new DataConnectionException("Failed to resolve address", e);
            }
        }
        InetAddress expectedPeer = config.isPassiveIpCheck()
            ? ((InetSocketAddress) control.getRemoteAddress()).getAddress() : null;
        PassiveDataAcceptor acceptor = new PassiveDataAcceptor(transport, config, expectedPeer, idleMillis());
        InetSocketAddress bound = acceptor.bind(bindAddress);
        synchronized (this) {
            pendingAcceptor = acceptor;
            passive = true;
            address = bindAddress;
            port = bound.getPort();
            requestTime = System.currentTimeMillis();
        }
        return new InetSocketAddress(bindAddress, port);
    }

    @Override
    public void initActiveDataConnection(InetSocketAddress clientAddress) {
        closeDataConnection();
        synchronized (this) {
            passive = false;
            address = clientAddress.getAddress();
            port = clientAddress.getPort();
            requestTime = System.currentTimeMillis();
        }
    }

    @Override
    public synchronized InetAddress getInetAddress() {
        return address;
    }

    @Override
    public synchronized int getPort() {
        return port;
    }

    // ---- the transfer ----------------------------------------------------------------------------------------

    /**
     * Opens the data connection announced by the last PASV/PORT and, for a protected transfer, runs the TLS
     * handshake and the session-reuse guard. Any failure closes it and throws, so the stock command replies 425;
     * a TLS refusal additionally marks the control session for mod_tls's 425 text ({@link DataRefusalReplyFilter}).
     */
    @Override
    public DataConnection openConnection() throws Exception {
        DataChannelSecurity security = security();
        boolean protect = isSecure();
        DataChannel channel;
        SessionReuseGuardFilter guard = null;
        try {
            if (protect && security.sslContext() == null) {
                throw new IOException("data connection protection required but TLS is not configured");
            }
            if (usePassive() && protect) {
                PassiveDataAcceptor.Outcome outcome = acceptorOrFail().awaitSecured(session -> {
                    DataChannel candidate = DataChannel.of(session);
                    addTls(candidate, security, System.currentTimeMillis());
                    candidate.openReadGate();
                }, handshakeWaitMillis(security));
                IoSession chosen = outcome.winner != null ? outcome.winner : outcome.refused;
                channel = DataChannel.of(chosen);
                guard = (SessionReuseGuardFilter) chosen.getFilterChain().get(SessionReuseGuardFilter.NAME);
                synchronized (this) {
                    current = channel;
                }
            } else if (usePassive()) {
                channel = DataChannel.of(acceptorOrFail().awaitConnection());
                synchronized (this) {
                    current = channel;
                }
                channel.openReadGate();
            } else {
                channel = connectActive(protect ? security : null);
                guard = protect ? (SessionReuseGuardFilter) channel.session().getFilterChain()
                    .get(SessionReuseGuardFilter.NAME) : null;
            }
        } catch (Exception e) {
            closeDataConnection();
            throw e;
        }
        synchronized (this) {
            currentProtected = protect;
        }
        if (protect) {
            awaitSecured(channel, security, guard);
        }
        return new MinaDataConnection(channel, control, this, isZipMode());
    }

    private synchronized boolean usePassive() {
        return passive;
    }

    private synchronized PassiveDataAcceptor acceptorOrFail() throws IOException {
        if (pendingAcceptor == null) {
            throw new IOException("no pending passive data connection");
        }
        return pendingAcceptor;
    }

    private DataChannel connectActive(DataChannelSecurity tls) throws IOException {
        DataConnectionConfiguration config = dataConfig();
        InetSocketAddress remote;
        InetAddress local;
        synchronized (this) {
            if (address == null) {
                throw new IOException("no PORT/EPRT address");
            }
            remote = new InetSocketAddress(address, port);
        }
        if (config.getActiveLocalAddress() != null) {
            local = InetAddress.getByName(config.getActiveLocalAddress());
        } else {
            local = ((InetSocketAddress) control.getLocalAddress()).getAddress();
        }
        long handshakeStart = System.currentTimeMillis();
        long idle = idleMillis();
        ConnectFuture future = transport.connector().connect(remote,
            new InetSocketAddress(local, config.getActiveLocalPort()), (session, f) -> {
                DataChannel channel = new DataChannel(session, idle);
                session.setAttribute(DataChannel.KEY, channel);
                if (tls != null) {
                    addTlsFilters(session.getFilterChain(), channel, tls, handshakeStart);
                }
            });
        boolean done = idle > 0 ? future.awaitUninterruptibly(idle) : future.awaitUninterruptibly(300_000);
        if (!done) {
            future.cancel();
            throw new SocketException("active data connection to " + remote + " timed out");
        }
        if (!future.isConnected()) {
            Throwable cause = future.getException();
            SocketException e = new SocketException("cannot connect to " + remote + ": " + cause);
            e.initCause(cause);
            throw e;
        }
        DataChannel channel = DataChannel.of(future.getSession());
        synchronized (this) {
            current = channel;
        }
        channel.openReadGate();
        return channel;
    }

    private SessionReuseGuardFilter addTls(DataChannel channel, DataChannelSecurity security, long start) {
        return addTlsFilters(channel.session().getFilterChain(), channel, security, start);
    }

    private static SessionReuseGuardFilter addTlsFilters(IoFilterChain chain, DataChannel channel,
                                                         DataChannelSecurity security, long start) {
        channel.expectTls();
        SessionReuseGuardFilter guard = new SessionReuseGuardFilter(security, start, !security.isClientMode());
        chain.addLast(DataTls.NAME, DataTls.newFilter(security));
        chain.addLast(SessionReuseGuardFilter.NAME, guard);
        return guard;
    }

    private void awaitSecured(DataChannel channel, DataChannelSecurity security, SessionReuseGuardFilter guard)
        throws IOException {
        TlsLog log = security.tlsLog();
        long id = security.connectionId();
        int timeoutSeconds = security.handshakeTimeoutSeconds();
        long wait = handshakeWaitMillis(security);
        DataChannel.TlsState state;
        try {
            state = channel.awaitTls(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state = DataChannel.TlsState.FAILED;
        }
        if (state == DataChannel.TlsState.SECURED) {
            logAccepted(channel, guard, log, id);
            return;
        }
        if (channel.tlsTimedOut() || (state == DataChannel.TlsState.PENDING && timeoutSeconds > 0)) {
            log.log(id, "TLS negotiation timed out (" + timeoutSeconds + " seconds)");
        }
        if (guard == null || !guard.certificateMismatch()) {
            log.log(id, "unable to open data connection: TLS negotiation failed");
        }
        closeDataConnection();
        DataRefusalReplyFilter.markRefused(control); // after the close, which clears a stale mark
        // the refused handshake may have used up the client's single-use TLS 1.3 ticket: send a fresh one
        security.afterTransfer(true);
        throw new SocketException("data connection refused by TLS: " + state
            + (channel.tlsFailureDetail() == null ? "" : " (" + channel.tlsFailureDetail() + ")"));
    }

    /** The TLS filter enforces TLSTimeoutHandshake itself; waits on a handshake only back it up. */
    private long handshakeWaitMillis(DataChannelSecurity security) {
        int timeoutSeconds = security.handshakeTimeoutSeconds();
        return timeoutSeconds > 0 ? timeoutSeconds * 1000L + 2000L : idleMillis();
    }

    private void logAccepted(DataChannel channel, SessionReuseGuardFilter guard, TlsLog log, long id) {
        synchronized (this) {
            if (acceptedLineLogged) {
                return;
            }
            acceptedLineLogged = true;
        }
        SSLSession data = (SSLSession) channel.session().getAttribute(SslFilter.SSL_SECURED);
        if (data == null) {
            return;
        }
        boolean resumed = guard != null && guard.verdict() != null && guard.verdict().resumed();
        log.log(id, data.getProtocol() + " data connection accepted, using cipher "
            + CipherSuites.openSslName(data.getCipherSuite()) + " (" + CipherSuites.bits(data.getCipherSuite()) + " bits" + (resumed ? ", resumed session" : "") + ")");
    }

    /**
     * The transfer ended (in the command thread, before the command's final reply): close the connection (with
     * close_notify under TLS; a failed transfer was dropped already), then the after-transfer hook.
     */
    void endTransfer() {
        DataChannel channel;
        boolean wasProtected;
        synchronized (this) {
            channel = current;
            current = null;
            wasProtected = currentProtected;
        }
        try {
            if (channel != null) {
                rememberPeaks(channel);
                closeGracefully(channel.session());
            }
        } finally {
            security().afterTransfer(wasProtected);
        }
    }

    /** The transfer failed: drop the connection at once (the channel fails fast for the waiting writer/reader). */
    void abortTransfer() {
        DataChannel channel;
        synchronized (this) {
            channel = current;
        }
        if (channel != null) {
            channel.onException(new SocketException("transfer aborted"));
            channel.session().closeNow();
        }
    }

    /**
     * Closes after whatever is still queued (MINA's closeNow() would drop it: under TLS 1.2 that can be the
     * engine's answer to the client's close_notify); under TLS the close goes through the TLS filter, which sends
     * our close_notify before the TCP close. Bounded: a peer that stopped reading is dropped.
     */
    private static void closeGracefully(IoSession session) {
        CloseFuture closing = session.closeOnFlush();
        if (!closing.awaitUninterruptibly(CLOSE_WAIT_MILLIS)) {
            LOG.debug("Data connection {} did not close within {} ms, dropping it", session, CLOSE_WAIT_MILLIS);
            session.closeNow();
        }
    }

    private synchronized void rememberPeaks(DataChannel channel) {
        lastInboundPeak = channel.inboundPeak();
        lastOutboundPeak = channel.outboundPeak();
    }

    /** Peak inbound queue and unsent outbound bytes of the last finished transfer (diagnostics and tests). */
    synchronized long[] lastTransferPeaks() {
        return new long[] {lastInboundPeak, lastOutboundPeak};
    }

    // ---- closing ---------------------------------------------------------------------------------------------

    /** Closes any open or pending data connection, returns the passive port; idempotent (ABOR, QUIT, disconnect). */
    @Override
    public void closeDataConnection() {
        PassiveDataAcceptor acceptor;
        DataChannel channel;
        synchronized (this) {
            acceptor = pendingAcceptor;
            pendingAcceptor = null;
            channel = current;
            current = null;
            requestTime = 0L;
        }
        if (channel != null) {
            rememberPeaks(channel);
            channel.onException(new SocketException("data connection closed"));
            channel.session().closeNow();
        }
        if (acceptor != null) {
            acceptor.close();
        }
        DataRefusalReplyFilter.clear(control);
    }

    @Override
    public void dispose() {
        closeDataConnection();
    }

    @Override
    public synchronized boolean isTimeout(long currTime) {
        if (requestTime == 0L || current != null) {
            return false;
        }
        long idle = idleMillis();
        return idle > 0 && currTime - requestTime >= idle;
    }

    // ---- flags -----------------------------------------------------------------------------------------------

    /** Protected when PROT P (stock flag) or the control side's policy says so. */
    @Override
    public synchronized boolean isSecure() {
        return secureFlag || security().isDataProtected();
    }

    @Override
    public synchronized void setSecure(boolean secure) {
        this.secureFlag = secure;
    }

    @Override
    public synchronized boolean isZipMode() {
        return zip;
    }

    @Override
    public synchronized void setZipMode(boolean zip) {
        this.zip = zip;
    }

    @Override
    public synchronized void setServerControlAddress(InetAddress serverControlAddress) {
        this.serverControlAddress = serverControlAddress;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private DataChannelSecurity security() {
        Object value = control.getAttribute(DataChannelSecurity.SESSION_ATTRIBUTE);
        return value instanceof DataChannelSecurity ? (DataChannelSecurity) value : DataChannelSecurity.NONE;
    }

    private DataConnectionConfiguration dataConfig() {
        return control.getListener().getDataConnectionConfiguration();
    }

    private long idleMillis() {
        return dataConfig().getIdleTime() * 1000L;
    }
}
