package dev.modtls.spring;

import java.util.Optional;

import dev.modtls.pki.SelfSignedCertificates.KeyKind;

/**
 * The certificate children of {@code <modtls:tls>} and the mod_tls directives their attributes stand for. Only the
 * PEM pairs (RSA, EC) can be generated on a first start.
 */
enum CertificateElement {
    RSA("rsa-certificate", "TLSRSACertificateFile", "TLSRSACertificateKeyFile", KeyKind.RSA),
    EC("ec-certificate", "TLSECCertificateFile", "TLSECCertificateKeyFile", KeyKind.EC),
    PKCS12("pkcs12", "TLSPKCS12File", null, null),
    CHAIN("certificate-chain", "TLSCertificateChainFile", null, null);

    /** The key under which a child's element name travels with its attributes in the bean definition. */
    static final String ELEMENT_KEY = "#element";

    final String element;
    final String fileDirective;
    final String keyFileDirective;
    final KeyKind generatable;

    CertificateElement(String element, String fileDirective, String keyFileDirective, KeyKind generatable) {
        this.element = element;
        this.fileDirective = fileDirective;
        this.keyFileDirective = keyFileDirective;
        this.generatable = generatable;
    }

    static Optional<CertificateElement> forElement(String localName) {
        for (CertificateElement e : values()) {
            if (e.element.equals(localName)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
