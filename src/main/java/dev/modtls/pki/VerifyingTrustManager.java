package dev.modtls.pki;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JSSE face of {@link ClientCertificateVerifier}: JSSE calls it during the handshake with the client's chain; a
 * failed verification throws, which makes JSSE end the handshake with an alert. Its accepted issuers are the CA
 * names of the CertificateRequest. Log lines go to a sink chosen per connection (the SSLEngine identifies it;
 * socket-based callers get a null engine).
 */
public final class VerifyingTrustManager extends X509ExtendedTrustManager {

    /** Where verification lines go, per connection. */
    @FunctionalInterface
    public interface VerifyLog {
        VerifyLog NONE = (engine, message) -> { };

        void log(SSLEngine engineOrNull, String message);
    }

    private final ClientCertificateVerifier verifier;
    private final VerifyLog log;

    public VerifyingTrustManager(ClientCertificateVerifier verifier, VerifyLog log) {
        this.verifier = verifier;
        this.log = log;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, ClientCertificateVerifier.Purpose.SSL_CLIENT, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, ClientCertificateVerifier.Purpose.SSL_CLIENT, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, ClientCertificateVerifier.Purpose.SSL_CLIENT, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, ClientCertificateVerifier.Purpose.SSL_SERVER, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, ClientCertificateVerifier.Purpose.SSL_SERVER, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, ClientCertificateVerifier.Purpose.SSL_SERVER, null);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return verifier.trust().acceptedIssuers().toArray(new X509Certificate[0]);
    }

    private void check(X509Certificate[] chain, ClientCertificateVerifier.Purpose purpose, SSLEngine engine)
            throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no certificate presented");
        }
        ClientCertificateVerifier.Verdict v = verifier.verify(chain, purpose, new Date(),
                message -> log.log(engine, message));
        if (!v.ok()) {
            throw new CertificateException(v.error().text() + " (depth " + v.depth() + ")");
        }
    }
}
