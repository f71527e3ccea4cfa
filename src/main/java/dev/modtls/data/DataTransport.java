package dev.modtls.data;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;

/**
 * The MINA resources every data connection of a server shares: one I/O processor pool, one executor (for the
 * acceptor/connector threads and for the few blocking clean-ups that must not run on an I/O thread) and one active
 * connector. A passive acceptor per PASV is then cheap: it owns only its listening socket. Create one per server,
 * {@link #dispose()} it when the server stops.
 */
public final class DataTransport {

    /**
     * The largest read MINA makes, which also sets how much it writes to one session per I/O pass (1.5 times this):
     * MINA's default (64 KiB) makes a bulk transfer hop through the selector every 96 KiB.
     */
    static final int MAX_IO_CHUNK = 256 * 1024;

    private final SimpleIoProcessorPool<NioSession> processors;
    private final ExecutorService executor;
    private final NioSocketConnector connector;
    private final java.util.Set<NioSocketAcceptor> acceptors = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DataTransport() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public DataTransport(int processorCount) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "modtls-data-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = Executors.newCachedThreadPool(threads);
        processors = new SimpleIoProcessorPool<>(NioProcessor.class, executor, Math.max(1, processorCount), null);
        connector = new NioSocketConnector(executor, processors);
        connector.getSessionConfig().setReuseAddress(true);
        connector.getSessionConfig().setReadBufferSize(16 * 1024);
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.getSessionConfig().setMaxReadBufferSize(MAX_IO_CHUNK);
        connector.setHandler(new DataSessionHandler());
    }

    /** A new acceptor on the shared pool; its owner configures, binds and disposes it. */
    NioSocketAcceptor newAcceptor() {
        NioSocketAcceptor acceptor = new NioSocketAcceptor(executor, processors);
        acceptors.add(acceptor);
        acceptor.setReuseAddress(true);
        acceptor.setBacklog(4);
        acceptor.setCloseOnDeactivation(false);
        acceptor.getSessionConfig().setReadBufferSize(16 * 1024);
        // The TLS handshake's flights and the last record of a transfer must not wait for a delayed ACK
        // (mod_tls switches TCP_NODELAY on for data handshakes, §4.1 item 7); transfers write large buffers.
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.getSessionConfig().setMaxReadBufferSize(MAX_IO_CHUNK);
        return acceptor;
    }

    NioSocketConnector connector() {
        return connector;
    }

    /** Runs a blocking clean-up off the I/O threads. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    /** An acceptor its owner has disposed of. */
    void released(NioSocketAcceptor acceptor) {
        acceptors.remove(acceptor);
    }

    /**
     * Stops the connector, the processors and the threads; open data connections are closed, and so are passive
     * acceptors still listening (their sessions' own clean-up runs later, on FtpServer's threads).
     */
    public void dispose() {
        for (NioSocketAcceptor acceptor : acceptors) {
            acceptor.dispose(false);
        }
        acceptors.clear();
        connector.dispose(false);
        processors.dispose();
        executor.shutdownNow();
    }
}
