package dev.modtls.pki;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.bouncycastle.asn1.x509.GeneralName;

/**
 * mod_tls's post-handshake client name checks (TLSVerifyClient on; TLSOptions dNSNameRequired, iPAddressRequired,
 * CommonNameRequired), in mod_tls's order, with its log lines. Pure: the caller passes the client's address and its
 * reverse-DNS name and acts on the result (a failure ends the session).
 */
public final class ClientNameChecks {

    /** Which checks are enabled. */
    public record Options(boolean dnsNameRequired, boolean ipAddressRequired, boolean commonNameRequired) {
        public static final Options NONE = new Options(false, false, false);

        /**
         * The options in effect for a session: with {@code UseReverseDNS off} the two name checks are switched off,
         * each with mod_tls's log line.
         */
        public Options effective(boolean useReverseDns, Consumer<String> log) {
            if (useReverseDns) {
                return this;
            }
            if (dnsNameRequired) {
                log.accept("reverse DNS off, disabling TLSOption dNSNameRequired");
            }
            if (commonNameRequired) {
                log.accept("reverse DNS off, disabling TLSOption CommonNameRequired");
            }
            return new Options(false, ipAddressRequired, false);
        }
    }

    /** Pass or fail, and the TLSLog lines in order. */
    public record Result(boolean ok, List<String> log) {
    }

    private ClientNameChecks() {
    }

    /**
     * Runs the enabled checks.
     *
     * @param clientCert the client's certificate, or null when it sent none
     * @param client     the client's address
     * @param remoteName the client's reverse-DNS name (its address text when reverse DNS is off)
     */
    public static Result check(X509Certificate clientCert, Options options, InetAddress client, String remoteName) {
        List<String> log = new ArrayList<>();
        if (clientCert == null) {
            log.add("unable to verify '" + remoteName + "': client did not provide certificate");
            return new Result(false, log);
        }
        if (options.dnsNameRequired() && !dnsName(clientCert, remoteName, log)) {
            return new Result(false, log);
        }
        if (options.ipAddressRequired() && !ipAddress(clientCert, client, log)) {
            return new Result(false, log);
        }
        if (options.commonNameRequired() && !commonName(clientCert, remoteName, log)) {
            return new Result(false, log);
        }
        return new Result(true, log);
    }

    private static boolean dnsName(X509Certificate cert, String remoteName, List<String> log) {
        for (byte[] raw : CertificateFields.subjectAltNames(cert, GeneralName.dNSName)) {
            if (CertificateFields.hasNul(raw)) {
                log.add("cert dNSName SAN contains embedded NULs, rejecting as possible spoof attempt");
                log.add("suspicious dNSName SAN value: '" + CertificateFields.printable(raw) + "'");
                return false;
            }
            if (new String(raw, StandardCharsets.ISO_8859_1).equalsIgnoreCase(remoteName)) {
                log.add("client cert dNSName SAN matches remote name '" + remoteName + "'");
                return true;
            }
        }
        log.add("client cert dNSName SANs do not match remote name '" + remoteName + "'");
        return false;
    }

    private static boolean ipAddress(X509Certificate cert, InetAddress client, List<String> log) {
        InetAddress clientV4 = unmapped(client);
        String clientText = OpenSslText.ip(client);
        for (byte[] raw : CertificateFields.subjectAltNames(cert, GeneralName.iPAddress)) {
            InetAddress san;
            try {
                san = unmapped(InetAddress.getByAddress(raw));
            } catch (UnknownHostException e) {
                continue; // not 4 or 16 bytes: no address
            }
            if (Arrays.equals(san.getAddress(), clientV4.getAddress())) {
                log.add("client cert iPAddress SAN matches client IP '" + clientText + "'");
                return true;
            }
        }
        log.add("client cert iPAddress SANs do not match client IP '" + clientText + "'");
        return false;
    }

    private static boolean commonName(X509Certificate cert, String remoteName, List<String> log) {
        List<String> cns = CertificateFields.commonNames(cert);
        if (!cns.isEmpty()) {
            String cn = cns.get(0);
            byte[] raw = cn.getBytes(StandardCharsets.UTF_8);
            if (CertificateFields.hasNul(raw)) {
                log.add("cert CommonName contains embedded NULs, rejecting as possible spoof attempt");
                log.add("suspicious CommonName value: '" + CertificateFields.printable(raw) + "'");
                return false;
            }
            if (cn.equalsIgnoreCase(remoteName)) {
                log.add("client cert CommonName matches client FQDN '" + remoteName + "'");
                return true;
            }
        }
        log.add("client cert CommonName does not match client FQDN '" + remoteName + "'");
        return false;
    }

    /** An IPv4-mapped IPv6 address as its IPv4 address (the JDK already does this for addresses it parses). */
    private static InetAddress unmapped(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            if (mapped) {
                try {
                    return Inet4Address.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return a;
    }
}
