package dev.modtls.transport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * How {@link TlsFilter} sets up the {@link SSLEngine} of each connection: role, peer, protocols, cipher suites, client
 * authentication and the handshake timeout. Immutable; build one with {@link #server()} or {@link #client(String, int)}.
 */
public final class TlsEngineSettings {

    /** Which side of the TLS handshake this end plays. */
    public enum Mode {
        /** Waits for the peer's ClientHello (control channel, protected data channels). */
        SERVER,
        /** Sends the ClientHello as soon as the session is connected (SSCN client mode on a data channel). */
        CLIENT
    }

    /** Whether a server asks the client for a certificate. */
    public enum ClientAuth {
        NONE, WANT, NEED
    }

    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final Mode mode;
    private final String peerHost;
    private final int peerPort;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final boolean serverCipherOrder;
    private final ClientAuth clientAuth;
    private final String endpointIdentification;
    private final Duration handshakeTimeout;
    private final Duration closeTimeout;
    private final String applicationProtocol;

    private TlsEngineSettings(Builder b) {
        this.mode = b.mode;
        this.peerHost = b.peerHost;
        this.peerPort = b.peerPort;
        this.protocols = b.protocols == null ? null : List.copyOf(b.protocols);
        this.cipherSuites = b.cipherSuites == null ? null : List.copyOf(b.cipherSuites);
        this.serverCipherOrder = b.serverCipherOrder;
        this.clientAuth = b.clientAuth;
        this.endpointIdentification = b.endpointIdentification;
        this.handshakeTimeout = b.handshakeTimeout;
        this.closeTimeout = b.closeTimeout;
        this.applicationProtocol = b.applicationProtocol;
    }

    /** A builder for the server side (the usual case). */
    public static Builder server() {
        return new Builder(Mode.SERVER, null, -1);
    }

    /**
     * A builder for the client side. {@code peerHost} (may be null: the session's remote IP address is used) and
     * {@code peerPort} name the peer for session resumption and SNI.
     */
    public static Builder client(String peerHost, int peerPort) {
        return new Builder(Mode.CLIENT, peerHost, peerPort);
    }

    public Mode mode() {
        return mode;
    }

    /** The peer host given for client mode, or null. */
    public String peerHost() {
        return peerHost;
    }

    /** The peer port given for client mode, or -1. */
    public int peerPort() {
        return peerPort;
    }

    /** Enabled protocols, or null for the SSLContext's defaults. */
    public List<String> protocols() {
        return protocols;
    }

    /** Enabled cipher suites, or null for the SSLContext's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** Whether the server's cipher suite order wins ({@link SSLParameters#setUseCipherSuitesOrder}). */
    public boolean serverCipherOrder() {
        return serverCipherOrder;
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** Endpoint identification algorithm for client mode (e.g. "HTTPS" to check the peer's name), or null. */
    public String endpointIdentification() {
        return endpointIdentification;
    }

    /** Time allowed for the initial handshake, from the moment it starts; {@link Duration#ZERO} means no limit. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long a close waits for our close_notify to be written before the TCP close goes ahead anyway. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** A new engine for one connection, configured from these settings. */
    SSLEngine createEngine(SSLContext context, String remoteHost, int remotePort) {
        SSLEngine engine;
        if (mode == Mode.CLIENT) {
            String host = peerHost != null ? peerHost : remoteHost;
            int port = peerPort >= 0 ? peerPort : remotePort;
            engine = host != null ? context.createSSLEngine(host, port) : context.createSSLEngine();
        } else {
            engine = context.createSSLEngine();
        }
        // setUseClientMode first: it resets the role-dependent defaults that the parameters below override.
        engine.setUseClientMode(mode == Mode.CLIENT);
        SSLParameters p = engine.getSSLParameters();
        if (protocols != null) {
            p.setProtocols(protocols.toArray(new String[0]));
        }
        if (cipherSuites != null) {
            p.setCipherSuites(cipherSuites.toArray(new String[0]));
        }
        p.setUseCipherSuitesOrder(serverCipherOrder);
        if (mode == Mode.SERVER) {
            if (clientAuth == ClientAuth.NEED) {
                p.setNeedClientAuth(true);
            } else if (clientAuth == ClientAuth.WANT) {
                p.setWantClientAuth(true);
            } else {
                p.setNeedClientAuth(false);
                p.setWantClientAuth(false);
            }
        }
        if (mode == Mode.CLIENT && endpointIdentification != null) {
            p.setEndpointIdentificationAlgorithm(endpointIdentification);
        }
        engine.setSSLParameters(p);
        if (mode == Mode.SERVER && applicationProtocol != null) {
            // ALPN: select ours when the client offers it; otherwise select none and go on (mod_tls, TLSNextProtocol)
            String ours = applicationProtocol;
            engine.setHandshakeApplicationProtocolSelector((e, offered) -> offered.contains(ours) ? ours : "");
        }
        return engine;
    }

    @Override
    public String toString() {
        return "TlsEngineSettings[" + mode + (mode == Mode.CLIENT ? " peer=" + peerHost + ":" + peerPort : "")
                + " protocols=" + protocols + " ciphers=" + cipherSuites + " serverOrder=" + serverCipherOrder
                + " clientAuth=" + clientAuth + " handshakeTimeout=" + handshakeTimeout + "]";
    }

    /** Collects the settings; every setter returns the builder. */
    public static final class Builder {
        private final Mode mode;
        private final String peerHost;
        private final int peerPort;
        private List<String> protocols;
        private List<String> cipherSuites;
        private boolean serverCipherOrder = true;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private String endpointIdentification;
        private Duration handshakeTimeout = Duration.ZERO;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private String applicationProtocol;

        private Builder(Mode mode, String peerHost, int peerPort) {
            this.mode = mode;
            this.peerHost = peerHost;
            this.peerPort = peerPort;
        }

        /** Enabled protocols such as "TLSv1.2", "TLSv1.3"; null keeps the context's defaults. */
        public Builder protocols(List<String> value) {
            this.protocols = value;
            return this;
        }

        public Builder protocols(String... value) {
            return protocols(List.of(value));
        }

        /** Enabled cipher suites (JSSE names); null keeps the context's defaults. */
        public Builder cipherSuites(List<String> value) {
            this.cipherSuites = value;
            return this;
        }

        /** Server cipher preference (default true). */
        public Builder serverCipherOrder(boolean value) {
            this.serverCipherOrder = value;
            return this;
        }

        public Builder clientAuth(ClientAuth value) {
            this.clientAuth = Objects.requireNonNull(value, "clientAuth");
            return this;
        }

        /** Client mode only: e.g. "HTTPS" makes the engine check the peer certificate against the peer host. */
        public Builder endpointIdentification(String value) {
            this.endpointIdentification = value;
            return this;
        }

        /** Handshake timeout; zero means none. */
        public Builder handshakeTimeout(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("handshake timeout must be zero or positive: " + value);
            }
            this.handshakeTimeout = value;
            return this;
        }

        /** Bound on waiting for close_notify to leave before closing TCP (default 2 s; must be positive). */
        public Builder closeTimeout(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("close timeout must be positive: " + value);
            }
            this.closeTimeout = value;
            return this;
        }

        /** Server mode: the ALPN protocol selected when the client offers it (null: no ALPN). */
        public Builder applicationProtocol(String value) {
            this.applicationProtocol = value;
            return this;
        }

        public TlsEngineSettings build() {
            return new TlsEngineSettings(this);
        }
    }
}
