package dev.modtls.data;

/**
 * FtpServer's transfer rate limit (TransferRateRequest, bytes per second): before each read, while the average
 * rate since the start of the transfer is above the limit, pause 50 ms. A limit of 0 means unlimited.
 */
final class RateLimiter {

    private static final long PAUSE_MILLIS = 50;

    private final int maxBytesPerSecond;
    private final long start = System.currentTimeMillis();

    RateLimiter(int maxBytesPerSecond) {
        this.maxBytesPerSecond = maxBytesPerSecond;
    }

    /** Blocks while {@code transferred} bytes since the start exceed the allowed average rate. */
    void pace(long transferred) throws InterruptedException {
        if (maxBytesPerSecond <= 0) {
            return;
        }
        while (true) {
            long elapsed = Math.max(1, System.currentTimeMillis() - start);
            if (transferred * 1000L / elapsed <= maxBytesPerSecond) {
                return;
            }
            Thread.sleep(PAUSE_MILLIS);
        }
    }
}
