package dev.modtls.pki;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager whose server identities can be replaced while the SSLContext that holds it keeps running: every call
 * goes to the current delegate, which {@link #replace} swaps atomically. This is how renewed certificates are taken up
 * without a new SSLContext, so that the context's session cache (and with it data-connection resumption of open
 * sessions) survives a certificate change. A handshake asks for an alias and then for that alias's chain and key;
 * the two calls could straddle a swap, so aliases carry a generation suffix and a stale alias is answered by the
 * delegate it came from.
 */
public final class SwappableKeyManager extends X509ExtendedKeyManager {

    private record Generation(long number, X509ExtendedKeyManager delegate, Generation previous) {
    }

    private record Resolved(X509ExtendedKeyManager delegate, String alias) {
    }

    private final AtomicReference<Generation> current;

    public SwappableKeyManager(KeyManager[] initial) {
        current = new AtomicReference<>(new Generation(0, x509(initial), null));
    }

    /** Makes {@code keyManagers} (e.g. {@link ServerCredentials#keyManagers()}) serve every new handshake. */
    public void replace(KeyManager[] keyManagers) {
        X509ExtendedKeyManager next = x509(keyManagers);
        current.updateAndGet(g -> new Generation(g.number + 1, next, new Generation(g.number, g.delegate, null)));
    }

    private static X509ExtendedKeyManager x509(KeyManager[] managers) {
        for (KeyManager m : Objects.requireNonNull(managers, "key managers")) {
            if (m instanceof X509ExtendedKeyManager) {
                return (X509ExtendedKeyManager) m;
            }
        }
        throw new IllegalArgumentException("no X509ExtendedKeyManager among the key managers");
    }

    private String tag(String alias, Generation g) {
        return alias == null ? null : alias + "#" + g.number;
    }

    private String[] tag(String[] aliases, Generation g) {
        if (aliases == null) {
            return null;
        }
        String[] out = new String[aliases.length];
        for (int i = 0; i < aliases.length; i++) {
            out[i] = tag(aliases[i], g);
        }
        return out;
    }

    /** The delegate that issued {@code tagged}, and the alias it knows. */
    private Resolved resolve(String tagged) {
        Generation g = current.get();
        int hash = tagged == null ? -1 : tagged.lastIndexOf('#');
        if (hash < 0) {
            return new Resolved(g.delegate, tagged);
        }
        String alias = tagged.substring(0, hash);
        long number;
        try {
            number = Long.parseLong(tagged.substring(hash + 1));
        } catch (NumberFormatException e) {
            return new Resolved(g.delegate, tagged);
        }
        for (Generation x = g; x != null; x = x.previous) {
            if (x.number == number) {
                return new Resolved(x.delegate, alias);
            }
        }
        return new Resolved(g.delegate, alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        Generation g = current.get();
        return tag(g.delegate.getClientAliases(keyType, issuers), g);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        Generation g = current.get();
        return tag(g.delegate.chooseClientAlias(keyType, issuers, socket), g);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        Generation g = current.get();
        return tag(g.delegate.chooseEngineClientAlias(keyType, issuers, engine), g);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Generation g = current.get();
        return tag(g.delegate.getServerAliases(keyType, issuers), g);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Generation g = current.get();
        return tag(g.delegate.chooseServerAlias(keyType, issuers, socket), g);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Generation g = current.get();
        return tag(g.delegate.chooseEngineServerAlias(keyType, issuers, engine), g);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Resolved r = resolve(alias);
        return r.delegate.getCertificateChain(r.alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Resolved r = resolve(alias);
        return r.delegate.getPrivateKey(r.alias);
    }
}
