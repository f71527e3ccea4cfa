package dev.modtls.pki;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One loaded server identity: a private key and its certificate chain (leaf first, then the chain the server sends).
 *
 * @param kind   RSA or EC
 * @param source the file the certificate came from (the certificate file, or the PKCS#12 file)
 */
public record ServerIdentity(KeyKind kind, Path source, PrivateKey privateKey, List<X509Certificate> chain) {

    public ServerIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a server identity needs its certificate");
        }
    }

    /** The server's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }
}
