package dev.modtls.config;

import java.time.Duration;

/**
 * {@code TLSSessionCache} (spec §6.2) plus the cache size, which mod_tls leaves to OpenSSL and we expose as our own
 * setting. Only the internal (per-listener SSLContext) cache exists on the JVM.
 */
public final class SessionCacheSettings {
    /** Lifetime when the directive is absent (mod_tls: 10 % over the old 4 h renegotiation interval). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15840);
    /** Lifetime for {@code TLSSessionCache internal:} without a timeout. */
    public static final Duration DIRECTIVE_DEFAULT_TIMEOUT = Duration.ofSeconds(1800);
    /** Entries kept when no size is configured (the JDK's own default as well). */
    public static final int DEFAULT_SIZE = 20480;

    private final boolean enabled;
    private final int size;
    private final Duration timeout;

    public SessionCacheSettings(boolean enabled, int size, Duration timeout) {
        this.enabled = enabled;
        this.size = size;
        this.timeout = timeout;
    }

    /** False for {@code TLSSessionCache off}. */
    public boolean enabled() {
        return enabled;
    }

    /** Maximum number of cached sessions. */
    public int size() {
        return size;
    }

    /** Lifetime of a cached session. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return enabled ? "internal (size " + size + ", timeout " + timeout.getSeconds() + " sec)" : "off";
    }
}
