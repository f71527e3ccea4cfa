package dev.modtls.log;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.Logger;

/**
 * A TLSLog written to a file through Log4j 2, one line per event:
 * {@code 2025-01-31 12:00:00,123 ftpserver-modtls/0.1.0[42]: client reused TLS session for data connection}.
 * Where mod_tls writes its pid (one process per session), we write the control connection's id.
 *
 * <p>Several instances may write the same file; they share one appender (see {@link TlsLogFiles}). Each instance
 * releases its share once, on {@link #close()}; lines logged after that are dropped.
 */
public final class Log4jTlsLog implements TlsLog {

    private final Path file;
    private final Logger logger;
    private final String prefix;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Log4jTlsLog(Path file, Logger logger) {
        this.file = file;
        this.logger = logger;
        this.prefix = ModuleVersion.moduleAndVersion() + "[";
    }

    /**
     * Opens (or shares) the TLSLog file after mod_tls's checks.
     *
     * @throws dev.modtls.config.ConfigException naming {@code TLSLog} when the file is refused
     */
    public static Log4jTlsLog open(Path file) {
        Path checked = TlsLogFileCheck.check(file);
        return new Log4jTlsLog(checked, TlsLogFiles.acquire(checked));
    }

    /** The absolute path of the file. */
    public Path file() {
        return file;
    }

    @Override
    public void log(long connectionId, String message) {
        if (!closed.get()) {
            logger.info(prefix + connectionId + "]: " + message);
        }
    }

    @Override
    public boolean isEnabled() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            TlsLogFiles.release(file);
        }
    }

    @Override
    public String toString() {
        return "TLSLog " + file;
    }
}
