package dev.modtls.data;

import java.net.InetSocketAddress;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * Builds the TLS filter of one data connection from the control side's {@link DataChannelSecurity}: the shared
 * SSLContext, protocols, cipher suites, client-certificate mode, and the TLS role (server, or client for SSCN),
 * which on a data connection does not follow who opened the TCP connection.
 */
final class DataTls {

    static final String NAME = "modtls-data-tls";

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

    /** Forces the TLS role: MINA's SslFilter derives it from whether the session was accepted or connected. */
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
            return engine;
        }
    }
}
