package dev.modtls.log;

/**
 * The TLSLog: mod_tls's own log of TLS events, one line per event, in the layout
 * {@code YYYY-MM-DD HH:MM:SS,mmm <module>/<version>[<connection id>]: <message>}.
 * Messages are mod_tls's, byte for byte (see mod_tls-spec.md section 7.4).
 */
public interface TlsLog {

    /** A TLSLog that writes nothing ({@code TLSLog none}). */
    TlsLog NONE = new TlsLog() {
        @Override
        public void log(long connectionId, String message) {
            // TLSLog none
        }

        @Override
        public boolean isEnabled() {
            return false;
        }
    };

    /**
     * Writes one line for the control connection with the given id (data connections log under their control
     * connection's id, as mod_tls logs under the session process's pid).
     */
    void log(long connectionId, String message);

    /** Whether lines are written at all; callers may skip building expensive messages when false. */
    default boolean isEnabled() {
        return true;
    }

    /** Releases the log's file, if any. */
    default void close() {
    }
}
