package dev.modtls.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.modtls.log.TlsLog;

/**
 * Live reload of a listener's certificate material (beyond mod_tls, which needs a restart): a daemon thread polls the
 * watched files every {@code TLSCertificateReload} interval and, when a group's files changed and then stayed the same
 * for one more poll (so that a half-written file or a certificate renewed before its key is not loaded), reloads that
 * group. New handshakes then use the new material; open sessions keep theirs and the SSLContext, with its session
 * cache, stays the same, so data connections still resume. A reload that fails (a broken file, a key that does not
 * match its certificate) keeps the material in service and says why, once per state of the files, as an SLF4J warning
 * and a TLSLog line under connection id 0.
 */
final class MaterialReloader {

    private static final Logger LOG = LoggerFactory.getLogger(MaterialReloader.class);

    /** Something to reload, e.g. the server certificates, or the CA certificates and CRLs. */
    @FunctionalInterface
    interface Reload {
        void run() throws RuntimeException;
    }

    private static final class Group {
        final String what;
        final WatchedFiles files;
        final Reload reload;
        String inServiceContent;
        String lastStat;
        boolean pending;
        String failedStat;

        Group(String what, WatchedFiles files, Reload reload) {
            this.what = what;
            this.files = files;
            this.reload = reload;
            this.inServiceContent = files.content();
            this.lastStat = files.stat();
        }
    }

    private final Duration interval;
    private final TlsLog log;
    private final List<Group> groups = new ArrayList<>();
    private ScheduledExecutorService timer;

    MaterialReloader(Duration interval, TlsLog log) {
        this.interval = interval;
        this.log = log;
    }

    /** Watches {@code files}; {@code reload} loads them and puts them into service, or throws and changes nothing. */
    MaterialReloader watch(String what, WatchedFiles files, Reload reload) {
        if (!files.isEmpty()) {
            groups.add(new Group(what, files, reload));
        }
        return this;
    }

    synchronized void start(String listenerName) {
        if (timer != null || interval.isZero() || groups.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modtls-reload " + listenerName);
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
        LOG.info("ftpserver-modtls on {}: watching certificate files every {} ms for changes", listenerName, ms);
    }

    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** One round over every group (also called directly by tests). */
    synchronized void poll() {
        for (Group g : groups) {
            try {
                poll(g);
            } catch (RuntimeException e) {
                LOG.warn("ftpserver-modtls: checking {} for changes failed", g.what, e);
            }
        }
    }

    private void poll(Group g) {
        String stat = g.files.stat();
        if (!stat.equals(g.lastStat)) {
            g.lastStat = stat;
            g.pending = true;
            return; // wait one more interval for the writer to finish
        }
        if (!g.pending) {
            return;
        }
        g.pending = false;
        if (stat.equals(g.failedStat)) {
            return;
        }
        String content = g.files.content();
        if (content.equals(g.inServiceContent)) {
            return;
        }
        try {
            g.reload.run();
            g.inServiceContent = content;
            g.failedStat = null;
            LOG.info("ftpserver-modtls: reloaded {} from {}; new handshakes use them", g.what, g.files.paths());
            log.log(0, "reloaded " + g.what + " from " + g.files.paths());
        } catch (RuntimeException e) {
            g.failedStat = stat;
            LOG.warn("ftpserver-modtls: unable to reload {}: {}; keeping the ones in service", g.what,
                    e.getMessage());
            log.log(0, "unable to reload " + g.what + ": " + e.getMessage() + "; keeping the ones in service");
        }
    }
}
