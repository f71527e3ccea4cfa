package dev.modtls.server;

import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import dev.modtls.config.CipherSuites;
import dev.modtls.config.TlsSettings;
import dev.modtls.pki.OpenSslText;
import dev.modtls.policy.TlsOption;

/**
 * The TLS facts mod_tls exports after the control handshake (mod_tls-spec §5.6), as FtpSession attributes for other
 * Ftplets: mod_tls's variable name with the prefix {@value #PREFIX}, the value a String. ProFTPD puts them into the
 * environment and the session notes; FtpServer has neither, and attributes are what an Ftplet can read
 * ({@code session.getAttribute("modtls.TLS_CIPHER")}).
 *
 * <ul>
 * <li>Always (mod_tls's session notes): {@code modtls.FTPS} ({@code 1}), {@code modtls.TLS_PROTOCOL},
 * {@code modtls.TLS_CIPHER}, {@code modtls.TLS_LIBRARY_VERSION}, {@code modtls.TLS_SERVER_NAME} (when the client sent
 * SNI), and with a client certificate {@code modtls.TLS_CLIENT_S_DN_CN}, {@code modtls.TLS_CLIENT_A_KEY},
 * {@code modtls.TLS_CLIENT_A_SIG}.</li>
 * <li>{@code TLSOptions StdEnvVars}: also {@code TLS_SESSION_ID} (upper-case hex), {@code TLS_CIPHER_EXPORT}
 * ({@code 1}, only below 56 bits), {@code TLS_CIPHER_KEYSIZE_POSSIBLE}, {@code TLS_CIPHER_KEYSIZE_USED}, and for the
 * server ({@code TLS_SERVER_}) and client ({@code TLS_CLIENT_}) certificate: {@code M_VERSION}, {@code M_SERIAL} (only
 * when the serial has fewer than 4 bytes, as in mod_tls), {@code S_DN}, {@code S_DN_<X>} and {@code I_DN},
 * {@code I_DN_<X>} for X in C CN D G I L O OU ST S T UID Email, {@code V_START}, {@code V_END}, {@code A_SIG},
 * {@code A_KEY}, {@code CERT} (PEM), and {@code TLS_CLIENT_CERT_CHAIN<n>} (PEM, n from 1, the certificates the client
 * sent after its own).</li>
 * <li>{@code TLSOptions ExportCertData} alone: {@code TLS_SERVER_CERT}, {@code TLS_CLIENT_CERT},
 * {@code TLS_CLIENT_CERT_CHAIN<n>}.</li>
 * </ul>
 * Values are set when the control handshake completes, so every command after AUTH sees them (unlike mod_tls, not the
 * AUTH command's own afterCommand, which FtpServer runs before the handshake is done). {@code TLS_LIBRARY_VERSION} is
 * the JDK's TLS provider, e.g. {@code SunJSSE 17}.
 */
public final class TlsFacts {

    /** The prefix of every attribute name. */
    public static final String PREFIX = "modtls.";

    private static final Map<String, String> DN_PARTS = new LinkedHashMap<>();
    private static final Map<String, String> ALGORITHMS = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.1", "rsaEncryption"),
            Map.entry("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.10", "rsassaPss"),
            Map.entry("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
            Map.entry("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
            Map.entry("1.2.840.10045.2.1", "id-ecPublicKey"),
            Map.entry("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
            Map.entry("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
            Map.entry("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
            Map.entry("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
            Map.entry("1.3.101.112", "ED25519"),
            Map.entry("1.3.101.113", "ED448"));

    static {
        DN_PARTS.put("2.5.4.6", "C");
        DN_PARTS.put("2.5.4.3", "CN");
        DN_PARTS.put("2.5.4.13", "D");
        DN_PARTS.put("2.5.4.42", "G");
        DN_PARTS.put("2.5.4.43", "I");
        DN_PARTS.put("2.5.4.7", "L");
        DN_PARTS.put("2.5.4.10", "O");
        DN_PARTS.put("2.5.4.11", "OU");
        DN_PARTS.put("2.5.4.8", "ST");
        DN_PARTS.put("2.5.4.4", "S");
        DN_PARTS.put("2.5.4.12", "T");
        DN_PARTS.put("0.9.2342.19200300.100.1.1", "UID");
        DN_PARTS.put("1.2.840.113549.1.9.1", "Email");
    }

    private TlsFacts() {
    }

    /**
     * The values for a control connection's TLS session under {@code settings} (names without {@link #PREFIX}).
     *
     * @param log receives mod_tls's TLSLog lines (no client certificate; serial not printable)
     */
    public static Map<String, String> of(SSLSession tls, TlsSettings settings, Consumer<String> log) {
        boolean std = settings.hasOption(TlsOption.STD_ENV_VARS);
        boolean export = settings.hasOption(TlsOption.EXPORT_CERT_DATA);
        Map<String, String> v = new LinkedHashMap<>();
        String suite = tls.getCipherSuite();
        v.put("FTPS", "1");
        v.put("TLS_PROTOCOL", tls.getProtocol());
        v.put("TLS_CIPHER", CipherSuites.openSslName(suite));
        v.put("TLS_LIBRARY_VERSION", libraryVersion());
        String sni = serverName(tls);
        if (sni != null) {
            v.put("TLS_SERVER_NAME", sni);
        }
        Certificate[] peer = peer(tls);
        X509Certificate client = peer.length > 0 && peer[0] instanceof X509Certificate ? (X509Certificate) peer[0]
                : null;
        if (client != null) {
            String cn = part(name(client.getSubjectX500Principal().getEncoded()), "CN");
            if (cn != null) {
                v.put("TLS_CLIENT_S_DN_CN", cn);
            }
            v.put("TLS_CLIENT_A_KEY", keyAlgorithm(client));
            v.put("TLS_CLIENT_A_SIG", algorithm(client.getSigAlgOID()));
        }
        if (!std && !export) {
            return v;
        }
        if (std) {
            v.put("TLS_SESSION_ID", HexFormat.of().withUpperCase().formatHex(tls.getId()));
            int bits = CipherSuites.bits(suite);
            if (bits < 56) {
                v.put("TLS_CIPHER_EXPORT", "1");
            }
            v.put("TLS_CIPHER_KEYSIZE_POSSIBLE", Integer.toString(bits));
            v.put("TLS_CIPHER_KEYSIZE_USED", Integer.toString(bits));
        }
        for (int i = 1; i < peer.length; i++) {
            v.put("TLS_CLIENT_CERT_CHAIN" + i, pem(peer[i]));
        }
        if (client != null) {
            certificate(v, "TLS_CLIENT_", client, std, log);
        } else {
            log.accept("unable to set client certificate environ variables: Client certificate unavailable");
        }
        Certificate[] local = tls.getLocalCertificates();
        if (local != null && local.length > 0 && local[0] instanceof X509Certificate) {
            certificate(v, "TLS_SERVER_", (X509Certificate) local[0], std, log);
        }
        return v;
    }

    /** Sets the values as attributes of the session ({@code modtls.<NAME>}). */
    static void publish(org.apache.mina.core.session.IoSession session, Map<String, String> values) {
        values.forEach((name, value) -> session.setAttribute(PREFIX + name, value));
    }

    private static void certificate(Map<String, String> v, String p, X509Certificate c, boolean std,
            Consumer<String> log) {
        if (std) {
            v.put(p + "M_VERSION", Integer.toString(c.getVersion()));
            byte[] serial = c.getSerialNumber().toByteArray();
            if (serial.length < 4) {
                v.put(p + "M_SERIAL", c.getSerialNumber().toString());
            } else {
                log.accept("certificate serial number not printable");
            }
            X500Name subject = name(c.getSubjectX500Principal().getEncoded());
            X500Name issuer = name(c.getIssuerX500Principal().getEncoded());
            v.put(p + "S_DN", OpenSslText.subject(c));
            parts(v, p + "S_DN_", subject);
            v.put(p + "I_DN", OpenSslText.issuer(c));
            parts(v, p + "I_DN_", issuer);
            v.put(p + "V_START", OpenSslText.time(c.getNotBefore()));
            v.put(p + "V_END", OpenSslText.time(c.getNotAfter()));
            v.put(p + "A_SIG", algorithm(c.getSigAlgOID()));
            v.put(p + "A_KEY", keyAlgorithm(c));
        }
        v.put(p + "CERT", pem(c));
    }

    private static void parts(Map<String, String> v, String prefix, X500Name name) {
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String key = DN_PARTS.get(atv.getType().getId());
                if (key != null) {
                    v.put(prefix + key, text(atv.getValue()));
                }
            }
        }
    }

    private static String part(X500Name name, String key) {
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (key.equals(DN_PARTS.get(atv.getType().getId()))) {
                    return text(atv.getValue());
                }
            }
        }
        return null;
    }

    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String ? ((ASN1String) value).getString() : value.toString();
    }

    private static X500Name name(byte[] der) {
        return X500Name.getInstance(der);
    }

    private static String algorithm(String oid) {
        return ALGORITHMS.getOrDefault(oid, oid);
    }

    private static String keyAlgorithm(X509Certificate c) {
        return algorithm(SubjectPublicKeyInfo.getInstance(c.getPublicKey().getEncoded()).getAlgorithm()
                .getAlgorithm().getId());
    }

    private static String pem(Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate from a TLS session cannot be encoded", e);
        }
    }

    private static Certificate[] peer(SSLSession tls) {
        try {
            return tls.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return new Certificate[0];
        }
    }

    private static String serverName(SSLSession tls) {
        if (tls instanceof ExtendedSSLSession) {
            List<SNIServerName> names = ((ExtendedSSLSession) tls).getRequestedServerNames();
            for (SNIServerName n : names) {
                if (n instanceof SNIHostName) {
                    return ((SNIHostName) n).getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    private static String libraryVersion() {
        Provider p = Security.getProvider("SunJSSE");
        return p == null ? "SunJSSE" : p.getName() + " " + p.getVersionStr();
    }
}
