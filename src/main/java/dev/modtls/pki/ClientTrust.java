package dev.modtls.pki;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import dev.modtls.config.ConfigException;

/**
 * The trust material for client certificates, loaded once at start: trust anchors from TLSCACertificateFile (every
 * certificate) and TLSCACertificatePath (every certificate of every readable regular file), the acceptable CA names
 * sent in the CertificateRequest (every certificate of the file, the first of each file in the directory), and the
 * CRLs of TLSCARevocationFile and TLSCARevocationPath. Without a CA file or path the JDK's default trust store is
 * used, as OpenSSL falls back to its default verify paths; no CA names are sent then.
 *
 * <p>Difference to OpenSSL: a hashed CA directory is read file by file, whatever the file names (OpenSSL looks up
 * only {@code <subject-hash>.N} names when verifying).
 */
public final class ClientTrust {

    private final List<X509Certificate> anchors;
    private final List<X509Certificate> acceptedIssuers;
    private final List<X509CRL> crls;
    private final boolean crlConfigured;
    private final ClientTrustSpec spec;

    private ClientTrust(ClientTrustSpec spec, List<X509Certificate> anchors, List<X509Certificate> acceptedIssuers,
            List<X509CRL> crls, boolean crlConfigured) {
        this.spec = spec;
        this.anchors = List.copyOf(anchors);
        this.acceptedIssuers = List.copyOf(acceptedIssuers);
        this.crls = List.copyOf(crls);
        this.crlConfigured = crlConfigured;
    }

    /** Loads everything; problems are ConfigExceptions naming the directive and the file. */
    public static ClientTrust load(ClientTrustSpec spec) {
        List<X509Certificate> anchors = new ArrayList<>();
        List<X509Certificate> accepted = new ArrayList<>();
        if (spec.caCertificateFile() != null) {
            List<X509Certificate> certs = certificates("TLSCACertificateFile", spec.caCertificateFile());
            if (certs.isEmpty()) {
                throw new ConfigException("TLSCACertificateFile",
                        "unable to use '" + spec.caCertificateFile() + "': file contained no certificate data");
            }
            anchors.addAll(certs);
            accepted.addAll(certs);
        }
        if (spec.caCertificatePath() != null) {
            for (Path f : files("TLSCACertificatePath", spec.caCertificatePath())) {
                try {
                    List<X509Certificate> certs = PemFiles.certificates(f);
                    if (!certs.isEmpty()) {
                        anchors.addAll(certs);
                        accepted.add(certs.get(0));
                    }
                } catch (PkiException e) {
                    // OpenSSL skips files it cannot use in a CA directory
                }
            }
        }
        if (spec.caCertificateFile() == null && spec.caCertificatePath() == null) {
            anchors.addAll(jdkDefaultAnchors());
        }
        List<X509CRL> crls = new ArrayList<>();
        if (spec.caRevocationFile() != null) {
            try {
                List<X509CRL> list = PemFiles.crls(spec.caRevocationFile());
                if (list.isEmpty()) {
                    throw new ConfigException("TLSCARevocationFile",
                            "unable to use '" + spec.caRevocationFile() + "': file contained no CRL data");
                }
                crls.addAll(list);
            } catch (PkiException e) {
                throw new ConfigException("TLSCARevocationFile", "error loading TLSCARevocationFile '"
                        + spec.caRevocationFile() + "': " + e.getMessage(), e);
            }
        }
        if (spec.caRevocationPath() != null) {
            for (Path f : files("TLSCARevocationPath", spec.caRevocationPath())) {
                try {
                    crls.addAll(PemFiles.crls(f));
                } catch (PkiException e) {
                    // skipped, as OpenSSL's directory lookup skips unusable files
                }
            }
        }
        boolean crlConfigured = spec.caRevocationFile() != null || spec.caRevocationPath() != null;
        return new ClientTrust(spec, anchors, dedupe(accepted), crls, crlConfigured);
    }

    public ClientTrustSpec spec() {
        return spec;
    }

    /** The trust anchors. */
    public List<X509Certificate> anchors() {
        return anchors;
    }

    /** The CA names to send in a CertificateRequest ({@code X509TrustManager.getAcceptedIssuers}). */
    public List<X509Certificate> acceptedIssuers() {
        return acceptedIssuers;
    }

    public List<X509CRL> crls() {
        return crls;
    }

    /** Whether TLSCARevocationFile or TLSCARevocationPath is configured: CRLs are then required for every CA. */
    public boolean crlCheckingEnabled() {
        return crlConfigured;
    }

    private static List<X509Certificate> certificates(String directive, Path file) {
        try {
            return PemFiles.certificates(file);
        } catch (PkiException e) {
            throw new ConfigException(directive, "unable to use '" + file + "': " + e.getMessage(), e);
        }
    }

    private static List<Path> files(String directive, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(directive, "parameter must be a directory path ('" + dir + "')");
        }
        TreeSet<Path> files = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p) && Files.isReadable(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new ConfigException(directive, "unable to read directory '" + dir + "': " + e.getMessage(), e);
        }
        return new ArrayList<>(files);
    }

    private static List<X509Certificate> dedupe(List<X509Certificate> certs) {
        List<X509Certificate> out = new ArrayList<>();
        for (X509Certificate c : certs) {
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<X509Certificate> jdkDefaultAnchors() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    List<X509Certificate> list = new ArrayList<>();
                    Collections.addAll(list, ((X509TrustManager) tm).getAcceptedIssuers());
                    return list;
                }
            }
            return List.of();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's default trust store cannot be read", e);
        }
    }

}
