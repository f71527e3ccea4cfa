package dev.modtls.data;

import java.net.InetSocketAddress;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * Builds the TLS filter of one data connection from the control side's {@link DataChannelSecurity}: the shared
 * SSLContext, protocols, cipher suites, client-certificate mode, and the TLS role (server, or client for SSCN),
 * which on a data connection does not follow who opened the TCP connection. This is the one place of the data
 * package that knows the TLS filter class: it uses MINA's SslFilter with the two things the data path needs and
 * MINA lacks (role, close_notify seen / sent) until helper C's {@code dev.modtls.transport.TlsFilter} replaces it.
 */
final class DataTls {

    static final String NAME = "modtls-data-tls";

    private static final AttributeKey ENGINE = new AttributeKey(DataTls.class, "engine");

    private DataTls() {
    }

    static SslFilter newFilter(DataChannelSecurity security) {
        SSLContext context = security.sslContext();
        if (context == null) {
            throw new IllegalStateException("data connection protection requested but no SSLContext is configured");
        }
        SslFilter filter = new RoleFilter(context, security.isClientMode());
        if (security.enabledProtocols() != null) {
            filter.setEnabledProtocols(security.enabledProtocols());
        }
        if (security.enabledCipherSuites() != null) {
            filter.setEnabledCipherSuites(security.enabledCipherSuites());
        }
        if (security.clientAuth() == ClientAuth.NEED) {
            filter.setNeedClientAuth(true);
        } else if (security.clientAuth() == ClientAuth.WANT) {
            filter.setWantClientAuth(true);
        }
        return filter;
    }

    /**
     * Ends a protected data connection cleanly: close_notify first, then TCP. MINA 2.2's SslFilter sends no
     * close_notify on close, only when it is removed from the chain, so it is removed first.
     */
    static void closeGracefully(IoSession session) {
        IoFilterChain chain = session.getFilterChain();
        if (chain.contains(NAME)) {
            try {
                chain.remove(NAME);
            } catch (RuntimeException alreadyClosing) {
                // the session is going away anyway
            }
        }
    }

    /**
     * Forces the TLS role (MINA's SslFilter derives it from whether the session was accepted or connected) and
     * reports the peer's close_notify to the {@link DataChannel}, which MINA's SslFilter does not surface.
     */
    private static final class RoleFilter extends SslFilter {
        private final boolean clientMode;

        RoleFilter(SSLContext context, boolean clientMode) {
            super(context);
            this.clientMode = clientMode;
        }

        @Override
        protected SSLEngine createEngine(IoSession session, InetSocketAddress addr) {
            SSLEngine engine = super.createEngine(session, addr);
            engine.setUseClientMode(clientMode);
            if (!clientMode) {
                if (needClientAuth) {
                    engine.setNeedClientAuth(true);
                } else if (wantClientAuth) {
                    engine.setWantClientAuth(true);
                }
            }
            session.setAttribute(ENGINE, engine);
            return engine;
        }

        @Override
        public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
            super.messageReceived(next, session, message);
            noteCloseNotify(session);
        }

        @Override
        public void sessionClosed(NextFilter next, IoSession session) throws Exception {
            noteCloseNotify(session);
            super.sessionClosed(next, session);
        }

        private static void noteCloseNotify(IoSession session) {
            SSLEngine engine = (SSLEngine) session.getAttribute(ENGINE);
            DataChannel channel = DataChannel.of(session);
            if (engine != null && channel != null && engine.isInboundDone()) {
                channel.onCloseNotify();
            }
        }
    }
}
