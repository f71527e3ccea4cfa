package dev.modtls.data;

import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.modtls.pki.SelfSignedCertificates;

/** Real JSSE contexts for tests: a server with a fresh self-signed EC certificate, clients that trust anything. */
final class TlsTestContexts {

    static {
        // Stateful session caching, as DECISIONS.md requires; read when a context is created.
        System.setProperty("jdk.tls.server.enableSessionTicketExtension", "false");
    }

    private TlsTestContexts() {
    }

    static SSLContext server() throws Exception {
        return withKey("server");
    }

    /** A client context with its own session cache; with a name, it also presents a certificate of that name. */
    static SSLContext client(String certificateName) throws Exception {
        if (certificateName != null) {
            return withKey(certificateName);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll()}, null);
        return context;
    }

    static X509Certificate certificateOf(SSLContext context) throws Exception {
        return CERTS.get(context);
    }

    private static final java.util.Map<SSLContext, X509Certificate> CERTS =
        java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private static SSLContext withKey(String name) throws Exception {
        KeyPair pair = SelfSignedCertificates.generateKeyPair(SelfSignedCertificates.KeyKind.EC);
        X509Certificate cert = SelfSignedCertificates.selfSign(pair, SelfSignedCertificates.KeyKind.EC, name);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", pair.getPrivate(), "pw".toCharArray(), new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "pw".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), new TrustManager[] {trustAll()}, null);
        CERTS.put(context, cert);
        return context;
    }

    static X509TrustManager trustAll() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
