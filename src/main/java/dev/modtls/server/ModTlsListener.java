package dev.modtls.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.FtpServerConfigurationException;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.ipfilter.MinaSessionFilter;
import org.apache.ftpserver.ipfilter.SessionFilter;
import org.apache.ftpserver.listener.nio.AbstractListener;
import org.apache.ftpserver.listener.nio.FtpHandlerAdapter;
import org.apache.ftpserver.listener.nio.FtpLoggingFilter;
import org.apache.ftpserver.listener.nio.FtpServerProtocolCodecFactory;
import org.apache.mina.core.service.IoAcceptor;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.filter.logging.MdcInjectionFilter;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.modtls.data.DataTransport;

/**
 * An FtpServer listener whose sessions are driven by our {@link ModTlsFtpHandler} and protected by our TLS filter.
 *
 * <p>Why not FtpServer's {@code NioListener}: its handler is a private field with no setter, and the stock handler
 * answers {@code 530} to FEAT, SYST and every other command before login (ftpserver-notes §6.2), which no Ftplet can
 * change. The filter chain is the stock one (MDC, session filter, the server's ordered thread pool, the FTP codec,
 * FtpServer's logging filter); TLS is added per session by AUTH. Data connections of its sessions run on this
 * listener's {@link DataTransport} (MINA), installed when each session is created.</p>
 */
public class ModTlsListener extends AbstractListener {

    private static final Logger LOG = LoggerFactory.getLogger(ModTlsListener.class);

    private final TlsEngine engine;

    private NioSocketAcceptor acceptor;
    private DataTransport dataTransport;
    private InetSocketAddress address;
    private boolean suspended;
    private FtpServerContext context;

    public ModTlsListener(String serverAddress, int port, boolean implicitSsl, TlsEngine engine,
            DataConnectionConfiguration dataConnectionConfig, int idleTimeout, SessionFilter sessionFilter) {
        super(serverAddress, port, implicitSsl, engine.sslConfiguration(), dataConnectionConfig, idleTimeout,
                sessionFilter);
        this.engine = engine;
    }

    /** The TLS engine (settings, policy, SSL context, TLSLog) of this listener. */
    public TlsEngine getEngine() {
        return engine;
    }

    @Override
    public synchronized void start(FtpServerContext serverContext) {
        if (!isStopped()) {
            throw new IllegalStateException("Listener already started");
        }
        try {
            this.context = serverContext;
            acceptor = new NioSocketAcceptor(Runtime.getRuntime().availableProcessors());
            address = getServerAddress() != null ? new InetSocketAddress(getServerAddress(), getPort())
                    : new InetSocketAddress(getPort());
            acceptor.setReuseAddress(true);
            acceptor.getSessionConfig().setReadBufferSize(2048);
            // Replies are small and each is a write of its own (TLS 1.3 adds a ticket record after a handshake):
            // with Nagle's algorithm they wait for the client's delayed ACK, 40 ms a time (measured with bench/).
            // ProFTPD sets TCP_NODELAY on its control connections too.
            acceptor.getSessionConfig().setTcpNoDelay(true);
            acceptor.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, getIdleTimeout());

            MdcInjectionFilter mdc = new MdcInjectionFilter();
            acceptor.getFilterChain().addLast("mdcFilter", mdc);
            SessionFilter sessionFilter = getSessionFilter();
            if (sessionFilter != null) {
                acceptor.getFilterChain().addLast("sessionFilter", new MinaSessionFilter(sessionFilter));
            }
            acceptor.getFilterChain().addLast("threadPool", new ExecutorFilter(serverContext.getThreadPoolExecutor()));
            acceptor.getFilterChain().addLast("codec", new ProtocolCodecFilter(new FtpServerProtocolCodecFactory()));
            acceptor.getFilterChain().addLast("mdcFilter2", mdc);
            acceptor.getFilterChain().addLast("logger", new FtpLoggingFilter());

            dataTransport = new DataTransport();
            ModTlsFtpHandler handler = new ModTlsFtpHandler(engine, dataTransport);
            handler.init(serverContext, this);
            acceptor.setHandler(new FtpHandlerAdapter(serverContext, handler));
            try {
                acceptor.bind(address);
            } catch (IOException e) {
                throw new FtpServerConfigurationException("Failed to bind to address " + address
                        + ", check configuration", e);
            }
            setPort(acceptor.getLocalAddress().getPort());
            engine.logStartup(address.getAddress() == null ? "*" : address.getHostString(), getPort());
            engine.startReloading(address.getHostString() + ":" + getPort());
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Override
    public synchronized void stop() {
        engine.stopReloading();
        if (acceptor != null) {
            acceptor.unbind();
            acceptor.dispose();
            acceptor = null;
        }
        if (dataTransport != null) {
            dataTransport.dispose();
            dataTransport = null;
        }
        engine.log().close();
        context = null;
    }

    @Override
    public boolean isStopped() {
        return acceptor == null;
    }

    @Override
    public boolean isSuspended() {
        return suspended;
    }

    @Override
    public synchronized void resume() {
        if (acceptor != null && suspended) {
            try {
                acceptor.bind(address);
                setPort(acceptor.getLocalAddress().getPort());
                suspended = false;
            } catch (IOException e) {
                LOG.error("Failed to resume listener on {}", address, e);
            }
        }
    }

    @Override
    public synchronized void suspend() {
        if (acceptor != null && !suspended) {
            acceptor.unbind();
            suspended = true;
        }
    }

    @Override
    public synchronized Set<FtpIoSession> getActiveSessions() {
        Set<FtpIoSession> sessions = new HashSet<>();
        if (acceptor == null) {
            return sessions;
        }
        Map<Long, IoSession> managed = acceptor.getManagedSessions();
        for (IoSession s : managed.values()) {
            sessions.add(new FtpIoSession(s, context));
        }
        return sessions;
    }

    IoAcceptor acceptor() {
        return acceptor;
    }
}
