package dev.modtls.data;

import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.mina.core.session.IoSession;

import dev.modtls.transport.TlsEngineSettings;
import dev.modtls.transport.TlsFilter;
import dev.modtls.transport.TlsListener;

/**
 * Builds the TLS filter of one data connection ({@link TlsFilter}) from the control side's
 * {@link DataChannelSecurity}: the shared SSLContext, protocols, cipher suites, client-certificate mode, handshake
 * timeout, and the TLS role (server, or client for SSCN), which on a data connection does not follow who opened the
 * TCP connection. Its listener reports to the connection's {@link DataChannel}: a failed or timed-out handshake, and
 * whether the peer ended with close_notify (without one, an upload is truncated).
 */
final class DataTls {

    static final String NAME = "modtls-data-tls";

    private DataTls() {
    }

    static TlsFilter newFilter(DataChannelSecurity security) {
        SSLContext context = security.sslContext();
        if (context == null) {
            throw new IllegalStateException("data connection protection requested but no SSLContext is configured");
        }
        TlsEngineSettings.Builder settings = security.isClientMode()
            ? TlsEngineSettings.client(null, -1) : TlsEngineSettings.server();
        if (security.enabledProtocols() != null) {
            settings.protocols(security.enabledProtocols());
        }
        if (security.enabledCipherSuites() != null) {
            settings.cipherSuites(java.util.List.of(security.enabledCipherSuites()));
        }
        if (!security.isClientMode()) {
            settings.clientAuth(clientAuth(security.clientAuth()));
        }
        settings.handshakeTimeout(Duration.ofSeconds(Math.max(0, security.handshakeTimeoutSeconds())));
        return new TlsFilter(context, settings.build(), new TlsListener() {
            @Override
            public void engineCreated(IoSession session, javax.net.ssl.SSLEngine engine) {
                security.dataEngineCreated(engine);
            }

            @Override
            public void handshakeFailed(IoSession session, SSLException cause, boolean timedOut) {
                LISTENER.handshakeFailed(session, cause, timedOut);
            }

            @Override
            public void tlsFailed(IoSession session, SSLException cause) {
                LISTENER.tlsFailed(session, cause);
            }

            @Override
            public void peerClosed(IoSession session, boolean closeNotifyReceived) {
                LISTENER.peerClosed(session, closeNotifyReceived);
            }
        });
    }

    private static TlsEngineSettings.ClientAuth clientAuth(ClientAuth mode) {
        if (mode == ClientAuth.NEED) {
            return TlsEngineSettings.ClientAuth.NEED;
        }
        if (mode == ClientAuth.WANT) {
            return TlsEngineSettings.ClientAuth.WANT;
        }
        return TlsEngineSettings.ClientAuth.NONE;
    }

    private static final TlsListener LISTENER = new TlsListener() {
        @Override
        public void handshakeFailed(IoSession session, SSLException cause, boolean timedOut) {
            DataChannel channel = DataChannel.of(session);
            if (channel != null) {
                channel.onTlsFailed(cause.getMessage(), timedOut);
            }
            session.closeOnFlush(); // after the alert, which closeNow() would drop from the write queue
        }

        @Override
        public void tlsFailed(IoSession session, SSLException cause) {
            DataChannel channel = DataChannel.of(session);
            if (channel != null) {
                channel.onException(cause);
            }
        }

        @Override
        public void peerClosed(IoSession session, boolean closeNotifyReceived) {
            DataChannel channel = DataChannel.of(session);
            if (channel != null && closeNotifyReceived) {
                channel.onCloseNotify();
            }
        }
    };
}
