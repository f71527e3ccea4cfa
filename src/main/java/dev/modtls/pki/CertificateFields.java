package dev.modtls.pki;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Certificate fields as raw values, the way OpenSSL hands them to mod_tls: subjectAltName entries and CommonNames
 * with their bytes intact (the JDK's parser rejects or normalises unusual dNSNames, and a NUL inside a name is exactly
 * what the spoofing checks look for).
 */
final class CertificateFields {

    private CertificateFields() {
    }

    /** The raw subjectAltName entries of one GeneralName tag (e.g. {@link GeneralName#dNSName}), in order. */
    static List<byte[]> subjectAltNames(X509Certificate cert, int tag) {
        List<byte[]> out = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (ext == null) {
            return out;
        }
        GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(ext).getOctets());
        for (GeneralName n : names.getNames()) {
            if (n.getTagNo() != tag) {
                continue;
            }
            ASN1Encodable v = n.getName();
            if (v instanceof ASN1OctetString) {
                out.add(((ASN1OctetString) v).getOctets());
            } else if (v instanceof ASN1String) {
                out.add(((ASN1String) v).getString().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    /** The subject's CommonName values, in order, as UTF-8 text (a NUL stays a NUL). */
    static List<String> commonNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue ava : rdn.getTypesAndValues()) {
                if (BCStyle.CN.equals(ava.getType())) {
                    out.add(text(ava.getValue()));
                }
            }
        }
        return out;
    }

    private static String text(ASN1Encodable v) {
        if (v instanceof DERUniversalString || v instanceof DERBMPString || v instanceof ASN1String) {
            return ((ASN1String) v).getString();
        }
        return v.toString();
    }

    /** Whether a value holds a NUL: OpenSSL's encoded length then differs from its C-string length. */
    static boolean hasNul(byte[] value) {
        for (byte b : value) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    /** Bytes as mod_tls prints a suspicious value: printable ASCII as is, everything else as {@code \xNN}. */
    static String printable(byte[] value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }
}
