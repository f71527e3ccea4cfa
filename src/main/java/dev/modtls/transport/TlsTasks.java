package dev.modtls.transport;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small pool shared by every {@link TlsFilter} for work that may block and therefore must not run on a MINA I/O
 * processor (there are only a few of those, each serving many sessions): the SSLEngine's delegated tasks (certificate
 * verification, which may query OCSP responders or fetch CRLs over the network, and the key operations) and a
 * listener's blocking completion step (a reverse-DNS lookup). Daemon threads, two per core, a bounded queue; when the
 * queue is full {@link #offer} says so and the caller runs the work itself, which is the old inline behaviour and
 * serves as back-pressure instead of an unbounded backlog.
 * <p>
 * MINA's own {@code ExecutorFilter} does not fit: it moves whole events, while what must move here is one step in the
 * middle of the filter's engine loop.
 */
final class TlsTasks {

    private static final int QUEUE = 1024;
    private static final ThreadPoolExecutor EXECUTOR;

    static {
        int threads = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        EXECUTOR = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "modtls-tls-task-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        EXECUTOR.allowCoreThreadTimeOut(true);
    }

    private TlsTasks() {
    }

    /** Queues {@code work}; false when the pool is saturated (the caller should then run it itself). */
    static boolean offer(Runnable work) {
        try {
            EXECUTOR.execute(work);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs {@code work} on the pool, or on the calling thread when the pool is saturated. */
    static void run(Runnable work) {
        if (!offer(work)) {
            work.run();
        }
    }
}
