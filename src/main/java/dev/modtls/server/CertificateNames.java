package dev.modtls.server;

import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Distinguished names the way mod_tls prints them (OpenSSL's {@code X509_NAME_oneline}): {@code /C=DE/O=Example/CN=host},
 * attributes in certificate order, OpenSSL's short names, the dotted OID for anything else.
 */
public final class CertificateNames {

    private static final Map<ASN1ObjectIdentifier, String> SHORT_NAMES = Map.ofEntries(
            Map.entry(BCStyle.C, "C"), Map.entry(BCStyle.ST, "ST"), Map.entry(BCStyle.L, "L"),
            Map.entry(BCStyle.O, "O"), Map.entry(BCStyle.OU, "OU"), Map.entry(BCStyle.CN, "CN"),
            Map.entry(BCStyle.EmailAddress, "emailAddress"), Map.entry(BCStyle.DC, "DC"),
            Map.entry(BCStyle.UID, "UID"), Map.entry(BCStyle.SERIALNUMBER, "serialNumber"),
            Map.entry(BCStyle.STREET, "street"), Map.entry(BCStyle.T, "title"), Map.entry(BCStyle.SURNAME, "SN"),
            Map.entry(BCStyle.GIVENNAME, "GN"), Map.entry(BCStyle.INITIALS, "initials"),
            Map.entry(BCStyle.DN_QUALIFIER, "dnQualifier"), Map.entry(BCStyle.PSEUDONYM, "pseudonym"),
            Map.entry(BCStyle.POSTAL_CODE, "postalCode"), Map.entry(BCStyle.BUSINESS_CATEGORY, "businessCategory"));

    private CertificateNames() {
    }

    public static String oneLine(X500Principal principal) {
        X500Name name = X500Name.getInstance(principal.getEncoded());
        StringBuilder out = new StringBuilder();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String key = SHORT_NAMES.getOrDefault(atv.getType(), atv.getType().getId());
                out.append('/').append(key).append('=').append(IETFUtils.valueToString(atv.getValue())
                        .replace("\\,", ",").replace("\\+", "+").replace("\\=", "="));
            }
        }
        return out.toString();
    }
}
