package dev.modtls.pki;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one SSLContext a listener's control and data connections share (the server session cache is per
 * context, and the data-connection reuse check needs the control connection's session in that cache).
 *
 * <p>Always the JDK's SunJSSE provider: BouncyCastle's JSSE sends no TLS 1.3 session tickets, so data connections
 * could never resume (jsse-notes.md section 3). Before the context is created, stateless session tickets are turned
 * off ({@code jdk.tls.server.enableSessionTicketExtension=false}): only stateful sessions carry the values bound with
 * {@code SSLSession.putValue}, which the reuse check relies on. The JDK offers that switch only as a system property,
 * read when a context is created; it therefore applies to the whole JVM, and is logged once.
 */
public final class TlsContextFactory {

    /** The JDK system property that turns stateless server session tickets on or off. */
    public static final String TICKET_PROPERTY = "jdk.tls.server.enableSessionTicketExtension";

    private static final Logger LOG = LoggerFactory.getLogger(TlsContextFactory.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private TlsContextFactory() {
    }

    /**
     * A new SunJSSE context.
     *
     * @param keyManagers          the server identities ({@link ServerCredentials#keyManagers()}), or null
     * @param trustManagers        client-certificate verification, or null for the JDK default
     * @param sessionCacheSize     server session cache entries (0 = unlimited)
     * @param sessionTimeoutSeconds server session lifetime in seconds (0 = unlimited)
     */
    public static SSLContext create(KeyManager[] keyManagers, TrustManager[] trustManagers, int sessionCacheSize,
            int sessionTimeoutSeconds) {
        if (sessionCacheSize < 0 || sessionTimeoutSeconds < 0) {
            throw new IllegalArgumentException("session cache size and timeout must not be negative");
        }
        disableStatelessTickets();
        try {
            SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
            ctx.init(keyManagers, trustManagers, new SecureRandom());
            SSLSessionContext sessions = ctx.getServerSessionContext();
            sessions.setSessionCacheSize(sessionCacheSize);
            sessions.setSessionTimeout(sessionTimeoutSeconds);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's SunJSSE provider cannot create a TLS context", e);
        }
    }

    /** Sets the ticket property (JVM-wide) and logs it the first time. */
    static void disableStatelessTickets() {
        String before = System.getProperty(TICKET_PROPERTY);
        if (!"false".equals(before)) {
            System.setProperty(TICKET_PROPERTY, "false");
        }
        if (LOGGED.compareAndSet(false, true)) {
            LOG.info("set JVM-wide system property {}=false (was {}): TLS session resumption uses the server's "
                    + "stateful session cache, which the data-connection session-reuse check needs", TICKET_PROPERTY,
                    before == null ? "unset" : before);
        }
    }
}
