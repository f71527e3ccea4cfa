package dev.modtls.transport;

/** Which kind of handshake {@link TlsListener#handshakeCompleted} reports. */
public enum HandshakeKind {
    /** The first handshake on the connection. */
    INITIAL,
    /** A TLS 1.2 (or older) renegotiation, started by either side. */
    RENEGOTIATION,
    /** A TLS 1.3 KeyUpdate (TLS 1.3 has no renegotiation). */
    KEY_UPDATE
}
