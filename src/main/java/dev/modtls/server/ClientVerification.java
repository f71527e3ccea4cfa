package dev.modtls.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.apache.mina.core.session.IoSession;

import dev.modtls.config.RevocationCheck;
import dev.modtls.config.TlsSettings;
import dev.modtls.config.VerifyClient;
import dev.modtls.log.TlsLog;
import dev.modtls.pki.ClientCertificateVerifier;
import dev.modtls.pki.ClientNameChecks;
import dev.modtls.pki.ClientTrust;
import dev.modtls.pki.ClientTrustSpec;
import dev.modtls.pki.OpenSslText;
import dev.modtls.pki.RevocationMethod;
import dev.modtls.pki.VerifyingTrustManager;
import dev.modtls.policy.TlsOption;
import dev.modtls.transport.TlsEngineSettings;

/**
 * TLSVerifyClient for one listener (mod_tls-spec §5.1–5.3): the JSSE client-authentication mode, the trust manager
 * that verifies client chains with mod_tls's log lines, the routing of those lines to the TLSLog id of the connection
 * whose handshake is being verified (the trust manager sees only the SSLEngine, so each engine is registered with its
 * connection id when the TLS filter creates it), and the post-handshake name checks of {@code TLSVerifyClient on}.
 *
 * <p>Reverse DNS: FtpServer has no {@code UseReverseDNS}; the module reads it as a directive, default off (see
 * {@link TlsSettings#useReverseDns()}). With it off, dNSNameRequired and CommonNameRequired are disabled for every
 * TLS session with mod_tls's two log lines, and the name the checks would use is the client's address text. With it
 * on, the checks look the client's name up in DNS ({@code getCanonicalHostName()}, which may block for seconds); so
 * the control channel then asks the TLS filter to run its handshakeCompleted, where these checks run, on the filter's
 * task pool rather than on a MINA I/O processor ({@link #checksMayBlock()}).
 */
public final class ClientVerification implements VerifyingTrustManager.VerifyLog {

    private final TlsSettings settings;
    private final TlsLog log;
    private final Map<SSLEngine, Long> connections = Collections.synchronizedMap(new WeakHashMap<>());

    ClientVerification(TlsSettings settings, TlsLog log) {
        this.settings = settings;
        this.log = log;
    }

    /** The client-verification directives as the PKI reads them. */
    static ClientTrustSpec trustSpec(TlsSettings s) {
        List<RevocationMethod> order = new ArrayList<>();
        for (RevocationCheck c : s.verifyOrder()) {
            order.add(c == RevocationCheck.OCSP ? RevocationMethod.OCSP : RevocationMethod.CRL);
        }
        return new ClientTrustSpec(s.caCertificateFile().orElse(null), s.caCertificatePath().orElse(null),
                s.caRevocationFile().orElse(null), s.caRevocationPath().orElse(null), s.verifyDepth(), order);
    }

    /** A trust manager verifying with {@code trust} and logging through this object. */
    VerifyingTrustManager trustManager(ClientTrust trust) {
        return new VerifyingTrustManager(new ClientCertificateVerifier(trust), this);
    }

    /** TLSVerifyClient as the TLS filter's client-authentication mode: off sends no CertificateRequest. */
    public TlsEngineSettings.ClientAuth clientAuth() {
        switch (settings.verifyClient()) {
            case ON:
                return TlsEngineSettings.ClientAuth.NEED;
            case OPTIONAL:
                return TlsEngineSettings.ClientAuth.WANT;
            default:
                return TlsEngineSettings.ClientAuth.NONE;
        }
    }

    /**
     * Registers an engine's connection id, so that verification lines about its peer go under that id (a data
     * connection registers its own engine with the control connection's id). Engines are held weakly.
     */
    public void track(SSLEngine engine, long connectionId) {
        connections.put(engine, connectionId);
    }

    /**
     * The control connection's TLS session is about to start: registers its engine and logs mod_tls's session-start
     * lines about name checks that reverse DNS being off disables.
     */
    void controlEngineCreated(SSLEngine engine, long connectionId) {
        track(engine, connectionId);
        nameCheckOptions(line -> log.log(connectionId, line));
    }

    @Override
    public void log(SSLEngine engineOrNull, String message) {
        Long id = engineOrNull == null ? null : connections.get(engineOrNull);
        log.log(id == null ? 0 : id, message);
    }

    private ClientNameChecks.Options nameCheckOptions(java.util.function.Consumer<String> lines) {
        ClientNameChecks.Options configured = new ClientNameChecks.Options(
                settings.hasOption(TlsOption.DNS_NAME_REQUIRED), settings.hasOption(TlsOption.IP_ADDRESS_REQUIRED),
                settings.hasOption(TlsOption.COMMON_NAME_REQUIRED));
        return configured.effective(settings.useReverseDns(), lines);
    }

    /**
     * Whether {@link #afterControlHandshake} may block: it looks the client's name up in DNS when
     * {@code TLSVerifyClient on} meets {@code UseReverseDNS on}.
     */
    boolean checksMayBlock() {
        return settings.verifyClient() == VerifyClient.ON && settings.useReverseDns();
    }

    /** The outcome of the post-handshake checks: pass or fail, and the TLSLog lines in order. */
    record Outcome(boolean ok, List<String> lines) {
        static final Outcome PASS = new Outcome(true, List.of());
    }

    /**
     * The checks that follow a successful control handshake under {@code TLSVerifyClient on} (mod_tls-spec §5.3): a
     * certificate was presented, then the enabled name checks. Other modes pass without a line.
     */
    Outcome afterControlHandshake(IoSession session, SSLSession tls) {
        if (settings.verifyClient() != VerifyClient.ON) {
            return Outcome.PASS;
        }
        InetAddress address = session.getRemoteAddress() instanceof InetSocketAddress
                ? ((InetSocketAddress) session.getRemoteAddress()).getAddress() : InetAddress.getLoopbackAddress();
        ClientNameChecks.Options options = nameCheckOptions(line -> { });
        String remoteName = settings.useReverseDns() ? address.getCanonicalHostName() : OpenSslText.ip(address);
        ClientNameChecks.Result r = ClientNameChecks.check(peerCertificate(tls), options, address, remoteName);
        return new Outcome(r.ok(), r.log());
    }

    /** The client's certificate in a TLS session, or null when it sent none. */
    public static X509Certificate peerCertificate(SSLSession tls) {
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] peer = tls.getPeerCertificates();
            return peer.length > 0 && peer[0] instanceof X509Certificate ? (X509Certificate) peer[0] : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
