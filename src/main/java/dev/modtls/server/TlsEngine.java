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
    private final List<String> optionNotes;
    private final String masqueradeAddress;
    private final CertificateMaterial material;
    private final MaterialReloader reloader;

    private TlsEngine(TlsSettings settings, SSLContext sslContext, TlsLog log, List<String> startupLines,
            CertificateMaterial material, List<String> optionNotes, String masqueradeAddress) {
        this.settings = settings;
        this.material = material;
        this.reloader = material == null ? null : new MaterialReloader(settings.reloadInterval(), log)
                .watch("server certificates", new WatchedFiles(material.credentialFiles()),
                        () -> material.reloadCredentials(line -> log.log(0, line)))
                .watch("CA certificates and CRLs", new WatchedFiles(material.trustFiles()), material::reloadTrust);
        this.policy = new TlsPolicy(settings);
        this.sslContext = sslContext;
        this.log = log;
        this.startupLines = List.copyOf(startupLines);
        this.optionNotes = List.copyOf(optionNotes);
        this.masqueradeAddress = masqueradeAddress;
        this.controlEngineSettings = TlsEngineSettings.server()
                .protocols(settings.protocols())
                .cipherSuites(List.of(settings.cipherSuites()))
                .serverCipherOrder(settings.serverCipherPreference())
                .applicationProtocol(settings.nextProtocol() ? "ftp" : null)
                .handshakeTimeout(settings.handshakeTimeout())
                .clientAuth(material == null ? TlsEngineSettings.ClientAuth.NONE
                        : material.verification().clientAuth())
                .build();
    }

    /** {@link #start(TlsSettings, int)} for port 21. */
    public static TlsEngine start(TlsSettings settings) {
        return start(settings, 21);
    }

    /**
     * Loads credentials and client trust, builds the SSL context and opens the TLSLog.
     *
     * @param port the listener's configured port (TLSPassPhraseProvider gets {@code "<ServerName>:<Port>"})
     */
    public static TlsEngine start(TlsSettings settings, int port) {
        List<String> optionNotes = OptionSupport.check(settings);
        // the same parser USER uses, so a value that passes here can never fail a login later
        settings.userName().ifPresent(dev.modtls.pki.CertificateLogin.TlsUserName::parse);
        String masquerade = settings.masqueradeAddress().map(TlsEngine::resolve).orElse(null);
        List<String> lines = new ArrayList<>();
        SSLContext context = null;
        TlsLog log = TlsLogs.open(settings.logFile());
        CertificateMaterial material = null;
        if (settings.engine() && settings.certificatesConfigured()) {
            material = CertificateMaterial.load(settings, port, log, lines::add);
            context = TlsContextFactory.create(material.keyManagers(), material.trustManagers(),
                    settings.sessionCache().size(),
                    (int) Math.min(Integer.MAX_VALUE, settings.sessionCache().timeout().toSeconds()));
        }
        return new TlsEngine(settings, context, log, lines, material, optionNotes, masquerade);
    }

    /** Client-certificate verification of this listener, or null when it has no SSL context. */
    public ClientVerification clientVerification() {
        return material == null ? null : material.verification();
    }

    /** Starts watching the certificate files (the listener is bound). */
    void startReloading(String listenerName) {
        if (reloader != null) {
            reloader.start(listenerName);
        }
    }

    /** Stops watching (the listener stopped). */
    void stopReloading() {
        if (reloader != null) {
            reloader.stop();
        }
    }

    /** TLSMasqueradeAddress resolved at start (§7.3), or null. */
    public String masqueradeAddress() {
        return masqueradeAddress;
    }

    /** mod_tls resolves TLSMasqueradeAddress when it reads the configuration; so do we, at start. */
    private static String resolve(String address) {
        try {
            return java.net.InetAddress.getByName(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new dev.modtls.config.ConfigException("TLSMasqueradeAddress", "unable to resolve \"" + address + "\"");
        }
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
        for (String note : optionNotes) {
            LOG.info("ftpserver-modtls: {}", note);
        }
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
