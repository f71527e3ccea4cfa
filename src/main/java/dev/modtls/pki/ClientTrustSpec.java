package dev.modtls.pki;

import java.nio.file.Path;
import java.util.List;

/**
 * The client-verification directives (null = not configured): TLSCACertificateFile, TLSCACertificatePath,
 * TLSCARevocationFile, TLSCARevocationPath, TLSVerifyDepth (default 9) and TLSVerifyOrder (default: CRL only).
 */
public record ClientTrustSpec(Path caCertificateFile, Path caCertificatePath, Path caRevocationFile,
        Path caRevocationPath, int verifyDepth, List<RevocationMethod> verifyOrder) {

    public static final int DEFAULT_VERIFY_DEPTH = 9;

    public ClientTrustSpec {
        if (verifyDepth < 0) {
            throw new IllegalArgumentException("depth must be zero or greater");
        }
        verifyOrder = verifyOrder == null || verifyOrder.isEmpty() ? List.of(RevocationMethod.CRL)
                : List.copyOf(verifyOrder);
    }

    /** A CA file, depth 9, CRL order. */
    public static ClientTrustSpec ofCaFile(Path caCertificateFile) {
        return new ClientTrustSpec(caCertificateFile, null, null, null, DEFAULT_VERIFY_DEPTH, null);
    }

    public ClientTrustSpec withCaPath(Path dir) {
        return new ClientTrustSpec(caCertificateFile, dir, caRevocationFile, caRevocationPath, verifyDepth,
                verifyOrder);
    }

    public ClientTrustSpec withRevocationFile(Path file) {
        return new ClientTrustSpec(caCertificateFile, caCertificatePath, file, caRevocationPath, verifyDepth,
                verifyOrder);
    }

    public ClientTrustSpec withRevocationPath(Path dir) {
        return new ClientTrustSpec(caCertificateFile, caCertificatePath, caRevocationFile, dir, verifyDepth,
                verifyOrder);
    }

    public ClientTrustSpec withVerifyDepth(int depth) {
        return new ClientTrustSpec(caCertificateFile, caCertificatePath, caRevocationFile, caRevocationPath, depth,
                verifyOrder);
    }

    public ClientTrustSpec withVerifyOrder(List<RevocationMethod> order) {
        return new ClientTrustSpec(caCertificateFile, caCertificatePath, caRevocationFile, caRevocationPath,
                verifyDepth, order);
    }
}
