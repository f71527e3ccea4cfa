package dev.modtls.pki;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager whose trust material (CA certificates, CRLs) can be replaced while the SSLContext that holds it
 * keeps running: every check and the CA-name list go to the current delegate, which {@link #replace} swaps
 * atomically. Being an {@link X509ExtendedTrustManager} itself, the JDK uses it as it is (it wraps plain
 * X509TrustManagers with checks of its own).
 */
public final class SwappableTrustManager extends X509ExtendedTrustManager {

    private final AtomicReference<X509ExtendedTrustManager> delegate;

    public SwappableTrustManager(X509ExtendedTrustManager initial) {
        delegate = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    /** New handshakes are verified by {@code next}. */
    public void replace(X509ExtendedTrustManager next) {
        delegate.set(Objects.requireNonNull(next));
    }

    /** The trust manager in service. */
    public X509ExtendedTrustManager current() {
        return delegate.get();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.get().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.get().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.get().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.get().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.get().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.get().checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.get().getAcceptedIssuers();
    }
}
