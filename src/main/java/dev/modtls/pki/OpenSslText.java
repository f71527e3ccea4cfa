package dev.modtls.pki;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Text as OpenSSL prints it, for log lines that must match mod_tls's byte for byte: distinguished names in mod_tls's
 * one-line form ({@code X509_NAME_print_ex} with {@code XN_FLAG_ONELINE}: {@code C = US, O = "Example, Inc", CN = x},
 * RDNs in encoded order), the compat form of {@code X509_NAME_print} ({@code C=US, O=Example, Inc, CN=x}), ASN.1
 * times ({@code Nov 24 00:51:20 2026 GMT}) and IP addresses as {@code inet_ntop} writes them. The JDK's
 * {@code X500Principal.getName()} reverses the RDN order and escapes differently, so it cannot be used.
 */
public final class OpenSslText {

    private static final Map<String, String> SHORT_NAMES = new HashMap<>();

    static {
        String[][] names = {
            {"2.5.4.3", "CN"}, {"2.5.4.6", "C"}, {"2.5.4.7", "L"}, {"2.5.4.8", "ST"}, {"2.5.4.10", "O"},
            {"2.5.4.11", "OU"}, {"2.5.4.12", "title"}, {"2.5.4.4", "SN"}, {"2.5.4.42", "GN"},
            {"2.5.4.43", "initials"}, {"2.5.4.44", "generationQualifier"}, {"2.5.4.46", "dnQualifier"},
            {"2.5.4.65", "pseudonym"}, {"2.5.4.5", "serialNumber"}, {"2.5.4.9", "street"},
            {"2.5.4.17", "postalCode"}, {"2.5.4.41", "name"}, {"2.5.4.13", "description"},
            {"2.5.4.15", "businessCategory"}, {"1.2.840.113549.1.9.1", "emailAddress"},
            {"0.9.2342.19200300.100.1.25", "DC"}, {"0.9.2342.19200300.100.1.1", "UID"},
        };
        for (String[] n : names) {
            SHORT_NAMES.put(n[0], n[1]);
        }
    }

    private OpenSslText() {
    }

    /** OpenSSL's short name of an attribute type, or its dotted OID. */
    public static String shortName(ASN1ObjectIdentifier oid) {
        return SHORT_NAMES.getOrDefault(oid.getId(), oid.getId());
    }

    /** mod_tls's one-line form of a name ({@code XN_FLAG_ONELINE}). */
    public static String oneLine(X500Principal name) {
        X500Name x = X500Name.getInstance(name.getEncoded());
        StringBuilder sb = new StringBuilder();
        for (RDN rdn : x.getRDNs()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            AttributeTypeAndValue[] avas = rdn.getTypesAndValues();
            for (int i = 0; i < avas.length; i++) {
                if (i > 0) {
                    sb.append(" + ");
                }
                sb.append(shortName(avas[i].getType())).append(" = ").append(escapeOneLine(value(avas[i])));
            }
        }
        return sb.toString();
    }

    /** The subject of a certificate, one-line form. */
    public static String subject(X509Certificate cert) {
        return oneLine(cert.getSubjectX500Principal());
    }

    /** The issuer of a certificate, one-line form. */
    public static String issuer(X509Certificate cert) {
        return oneLine(cert.getIssuerX500Principal());
    }

    /** The compat form of {@code X509_NAME_print(bio, name, 0)}: {@code C=US, O=Example, Inc, CN=x}. */
    public static String compat(X500Principal name) {
        X500Name x = X500Name.getInstance(name.getEncoded());
        StringBuilder sb = new StringBuilder();
        for (RDN rdn : x.getRDNs()) {
            for (AttributeTypeAndValue ava : rdn.getTypesAndValues()) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(shortName(ava.getType())).append('=');
                for (byte b : value(ava).getBytes(StandardCharsets.UTF_8)) {
                    int c = b & 0xff;
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\x%02X", c));
                    } else {
                        sb.append((char) c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** {@code ASN1_TIME_print}: {@code Nov  4 00:51:20 2026 GMT}. */
    public static String time(Date date) {
        ZonedDateTime t = date.toInstant().atZone(ZoneOffset.UTC);
        String month = t.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH);
        return String.format(Locale.ROOT, "%s %2d %02d:%02d:%02d %d GMT", month, t.getDayOfMonth(), t.getHour(),
                t.getMinute(), t.getSecond(), t.getYear());
    }

    /** An address as {@code inet_ntop} writes it (IPv6 compressed, lower case, RFC 5952 style). */
    public static String ip(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        return ipv6(address.getAddress());
    }

    /** 16 address bytes as {@code inet_ntop(AF_INET6)} writes them, including {@code ::ffff:a.b.c.d}. */
    static String ipv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
        if (mapped) {
            return "::ffff:" + (a[12] & 0xff) + "." + (a[13] & 0xff) + "." + (a[14] & 0xff) + "." + (a[15] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static String value(AttributeTypeAndValue ava) {
        ASN1Encodable v = ava.getValue();
        return v instanceof ASN1String ? ((ASN1String) v).getString() : v.toString();
    }

    /** RFC 2253 escaping with {@code ESC_QUOTE}, {@code ESC_CTRL}, {@code ESC_MSB} and UTF-8 conversion. */
    static String escapeOneLine(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        boolean quote = false;
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            if (c > 0x7f || c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\%02X", c));
            } else if (c == '\\' || c == '"') {
                sb.append('\\').append((char) c);
            } else if (c == ',' || c == '+' || c == '<' || c == '>' || c == ';'
                    || (i == 0 && (c == '#' || c == ' ')) || (i == bytes.length - 1 && c == ' ')) {
                quote = true;
                sb.append((char) c);
            } else {
                sb.append((char) c);
            }
        }
        return quote ? "\"" + sb + "\"" : sb.toString();
    }
}
