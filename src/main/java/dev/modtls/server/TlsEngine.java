package dev.modtls.server;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.apache.ftpserver.ssl.SslConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.modtls.config.TlsSettings;
import dev.modtls.log.TlsLog;
import dev.modtls.log.TlsLogs;
import dev.modtls.pki.PassPhraseSource;
import dev.modtls.pki.ServerCredentials;
import dev.modtls.pki.ServerCredentialsSpec;
import dev.modtls.pki.TlsContextFactory;
import dev.modtls.policy.TlsPolicy;
import dev.modtls.transport.TlsEngineSettings;

/**
 * One listener's TLS runtime, made from its immutable {@link TlsSettings} at start: the policy, the one SSLContext
 * that control and data connections share (its session cache is what data connections resume from), the engine
 * settings every TLS filter gets, and the TLSLog. Building it loads and checks every certificate and key, so a bad
 * file stops the server at start with the directive's name.
 */
public final class TlsEngine {

    private static final Logger LOG = LoggerFactory.getLogger(TlsEngine.class);

    private final TlsSettings settings;
    private final TlsPolicy policy;
    private final SSLContext sslContext;
    private final TlsEngineSettings controlEngineSettings;
    private final TlsLog log;
    private final List<String> startupLines;

    private TlsEngine(TlsSettings settings, SSLContext sslContext, TlsLog log, List<String> startupLines) {
        this.settings = settings;
        this.policy = new TlsPolicy(settings);
        this.sslContext = sslContext;
        this.log = log;
        this.startupLines = List.copyOf(startupLines);
        this.controlEngineSettings = TlsEngineSettings.server()
                .protocols(settings.protocols())
                .cipherSuites(List.of(settings.cipherSuites()))
                .serverCipherOrder(settings.serverCipherPreference())
                .handshakeTimeout(settings.handshakeTimeout())
                .build();
    }

    /** Loads credentials, builds the SSL context and opens the TLSLog. */
    public static TlsEngine start(TlsSettings settings) {
        List<String> lines = new ArrayList<>();
        SSLContext context = null;
        if (settings.engine() && settings.certificatesConfigured()) {
            ServerCredentials credentials = ServerCredentials.load(credentialsSpec(settings), lines::add);
            context = TlsContextFactory.create(credentials.keyManagers(), null, settings.sessionCache().size(),
                    (int) Math.min(Integer.MAX_VALUE, settings.sessionCache().timeout().toSeconds()));
        }
        TlsLog log = TlsLogs.open(settings.logFile());
        return new TlsEngine(settings, context, log, lines);
    }

    private static ServerCredentialsSpec credentialsSpec(TlsSettings s) {
        PassPhraseSource passPhrases = (kind, file) -> {
            if ("PKCS12".equals(kind) && s.pkcs12Password().isPresent()) {
                return s.pkcs12Password().get();
            }
            return s.keyPassword().orElse(null);
        };
        return new ServerCredentialsSpec(s.rsaCertificateFile().orElse(null), s.rsaCertificateKeyFile().orElse(null),
                s.ecCertificateFile().orElse(null), s.ecCertificateKeyFile().orElse(null),
                s.pkcs12File().orElse(null), s.certificateChainFile().orElse(null), passPhrases);
    }

    public TlsSettings settings() {
        return settings;
    }

    public TlsPolicy policy() {
        return policy;
    }

    public TlsLog log() {
        return log;
    }

    /** The shared server context, or null when no certificate is configured (AUTH then gets 431). */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** What every control-connection TLS filter of this listener is configured with. */
    public TlsEngineSettings controlEngineSettings() {
        return controlEngineSettings;
    }

    /** Logs what an operator needs to know about this listener's TLS once it is bound. */
    void logStartup(String host, int port) {
        for (String line : startupLines) {
            log.log(0, line);
        }
        if (!settings.engine()) {
            LOG.info("ftpserver-modtls on {}:{}: TLSEngine off", host, port);
            return;
        }
        LOG.info("ftpserver-modtls on {}:{}: TLSProtocol {}, TLSRequired {}, {} cipher suites, session cache {} "
                + "entries / {} s{}", host, port, String.join(" ", settings.protocols()),
                settings.required().spelling(), settings.cipherSuites().length, settings.sessionCache().size(),
                settings.sessionCache().timeout().toSeconds(),
                settings.sessionCache().enabled() ? "" : " (TLSSessionCache off: data connections need not resume)");
        for (String note : settings.notes()) {
            LOG.info("ftpserver-modtls: {}", note);
        }
        if (sslContext == null) {
            LOG.warn("ftpserver-modtls on {}:{}: no certificate configured; AUTH will be refused with 431", host,
                    port);
        }
    }

    /** FtpServer's view of our context, for code of FtpServer's that asks the listener for its SSL configuration. */
    SslConfiguration sslConfiguration() {
        if (sslContext == null) {
            return null;
        }
        return new SslConfiguration() {
            @Override
            public javax.net.ssl.SSLSocketFactory getSocketFactory() {
                return sslContext.getSocketFactory();
            }

            @Override
            public SSLContext getSSLContext() {
                return sslContext;
            }

            @Override
            public SSLContext getSSLContext(String protocol) throws GeneralSecurityException {
                return sslContext;
            }

            @Override
            public String[] getEnabledCipherSuites() {
                return settings.cipherSuites().clone();
            }

            @Override
            public String getEnabledProtocol() {
                return settings.protocols().get(settings.protocols().size() - 1);
            }

            @Override
            public String[] getEnabledProtocols() {
                return settings.protocols().toArray(new String[0]);
            }

            @Override
            public org.apache.ftpserver.ssl.ClientAuth getClientAuth() {
                return org.apache.ftpserver.ssl.ClientAuth.NONE;
            }
        };
    }
}
