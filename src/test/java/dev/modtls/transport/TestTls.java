package dev.modtls.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import dev.modtls.pki.SelfSignedCertificates;

/** Test key material: one self-signed RSA server certificate, a server context and a client context trusting it. */
final class TestTls {

    static {
        // stateful TLS 1.3 tickets, as the module runs (DECISIONS.md); must precede the first SSLContext
        System.setProperty("jdk.tls.server.enableSessionTicketExtension", "false");
    }

    private static SSLContext server;
    private static SSLContext client;
    private static X509Certificate certificate;
    private static KeyManager[] serverKeys;
    private static TrustManager[] clientTrust;

    private TestTls() {
    }

    static synchronized SSLContext serverContext() throws Exception {
        init();
        return server;
    }

    static synchronized SSLContext clientContext() throws Exception {
        init();
        return client;
    }

    static synchronized Path certificatePem(Path dir) throws Exception {
        init();
        Path file = dir.resolve("server.pem");
        java.util.Base64.Encoder enc = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        String pem = "-----BEGIN CERTIFICATE-----\n" + enc.encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(file, pem);
        return file;
    }

    private static void init() throws Exception {
        if (server != null) {
            return;
        }
        KeyPair pair = SelfSignedCertificates.generateKeyPair(SelfSignedCertificates.KeyKind.RSA);
        certificate = SelfSignedCertificates.selfSign(pair, SelfSignedCertificates.KeyKind.RSA, "localhost");
        char[] pw = "test".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", pair.getPrivate(), pw, new X509Certificate[] {certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        serverKeys = kmf.getKeyManagers();
        server = SSLContext.getInstance("TLS");
        server.init(serverKeys, null, new SecureRandom());

        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        clientTrust = tmf.getTrustManagers();
        client = SSLContext.getInstance("TLS");
        client.init(null, clientTrust, new SecureRandom());
    }

    /** A server context with the test server key and {@code trust} for client certificates. */
    static synchronized SSLContext serverContext(TrustManager trust) throws Exception {
        init();
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(serverKeys, new TrustManager[] {trust}, new SecureRandom());
        return c;
    }

    /** A client context trusting the test server and presenting {@code certificate} with {@code key}. */
    static synchronized SSLContext clientContext(KeyPair key, X509Certificate clientCertificate) throws Exception {
        init();
        char[] pw = "test".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key.getPrivate(), pw, new X509Certificate[] {clientCertificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), clientTrust, new SecureRandom());
        return c;
    }

    /** Reads one line (up to and including LF) byte by byte, so nothing after it is consumed. Null at EOF. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.ISO_8859_1).replaceAll("\r?\n$", "");
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) != -1) {
            all.write(buf, 0, n);
        }
        return all.toByteArray();
    }
}
