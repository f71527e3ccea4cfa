package dev.modtls.transport;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread shared by every {@link TlsFilter}: handshake timeouts and the bound on a close's
 * close_notify. Tasks are short (they take a connection's lock briefly); cancelled tasks are removed at once.
 */
final class TlsTimer {

    private static final ScheduledThreadPoolExecutor EXECUTOR;

    static {
        EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "modtls-tls-timer");
            t.setDaemon(true);
            return t;
        });
        EXECUTOR.setRemoveOnCancelPolicy(true);
    }

    private TlsTimer() {
    }

    static ScheduledFuture<?> schedule(Runnable task, long millis) {
        return EXECUTOR.schedule(task, millis, TimeUnit.MILLISECONDS);
    }
}
