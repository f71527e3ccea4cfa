package dev.modtls.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.GeneralName;

import dev.modtls.config.ConfigException;

/**
 * mod_tls's certificate-based logins as pure functions with their log lines: {@code TLSOptions AllowDotLogin}
 * ({@code ~/.tlslogin} holds certificates; one whose signature bytes equal the client certificate's logs the user in)
 * and {@code TLSUserName} (the USER name equals a CommonName, an rfc822Name subjectAltName, or the value of an
 * extension given by OID). The caller decides what a success means (reply 232, no PASS).
 */
public final class CertificateLogin {

    /** The outcome, the TLSLog lines and the lines for the authentication log. */
    public record Result(boolean ok, List<String> tlsLog, List<String> authLog) {
    }

    /** Where TLSUserName takes the login name from. */
    public enum Source {
        COMMON_NAME, EMAIL_SUBJ_ALT_NAME, OID
    }

    /**
     * A parsed TLSUserName value.
     *
     * @param rawOidValue for {@link Source#OID}: compare the extension's raw payload bytes, DER tag and length
     *                    included, as mod_tls does (quirk Q7, the default); false compares the decoded string
     */
    public record TlsUserName(String value, Source source, String oid, boolean rawOidValue) {

        /** {@code CommonName}, {@code EmailSubjAltName}, or a dotted OID; anything else is a ConfigException. */
        public static TlsUserName parse(String value) {
            if (value.equals("CommonName")) {
                return new TlsUserName(value, Source.COMMON_NAME, null, true);
            }
            if (value.equals("EmailSubjAltName")) {
                return new TlsUserName(value, Source.EMAIL_SUBJ_ALT_NAME, null, true);
            }
            if (!value.matches("[0-9]+(\\.[0-9]+)+")) {
                throw new ConfigException("TLSUserName", "badly formatted OID parameter");
            }
            return new TlsUserName(value, Source.OID, value, true);
        }

        /** The same OID setting, comparing the decoded string value instead of the raw bytes. */
        public TlsUserName decoded() {
            return new TlsUserName(value, source, oid, false);
        }
    }

    private CertificateLogin() {
    }

    /**
     * The {@code .tlslogin} check: {@code <home, symlinks resolved>/.tlslogin} holds PEM certificates; the login
     * succeeds when one has the client certificate's signature bytes.
     */
    public static Result dotLogin(X509Certificate client, Path homeDir, String user) {
        List<String> log = new ArrayList<>();
        Path file = homeDir.resolve(".tlslogin");
        List<X509Certificate> certs;
        try {
            file = homeDir.toRealPath().resolve(".tlslogin");
            certs = PemFiles.certificates(file);
        } catch (NoSuchFileException | PkiException | AccessDeniedException e) {
            log.add(".tlslogin check: unable to open '" + file + "': " + reason(e));
            certs = List.of();
        } catch (IOException e) {
            log.add(".tlslogin check: unable to open '" + file + "': " + e.getMessage());
            certs = List.of();
        }
        for (X509Certificate c : certs) {
            if (Arrays.equals(c.getSignature(), client.getSignature())) {
                log.add("TLS/X509 .tlslogin check successful for user '" + user + "'");
                return new Result(true, log,
                        List.of("USER " + user + ": TLS/X509 .tlslogin authentication successful"));
            }
            log.add(".tlslogin local/remote certificate MISMATCH");
        }
        log.add("TLS/X509 .tlslogin check failed for user '" + user + "'");
        return new Result(false, log, List.of());
    }

    /** The TLSUserName check: USER must equal the configured certificate field exactly (case-sensitive). */
    public static Result tlsUserName(X509Certificate client, TlsUserName config, String user) {
        List<String> log = new ArrayList<>();
        boolean matched = false;
        switch (config.source()) {
            case COMMON_NAME:
                for (String cn : CertificateFields.commonNames(client)) {
                    if (acceptable("CommonName", cn.getBytes(StandardCharsets.UTF_8), log) && cn.equals(user)) {
                        log.add("matched client cert CommonName '" + cn + "' to user '" + user + "'");
                        matched = true;
                        break;
                    }
                }
                break;
            case EMAIL_SUBJ_ALT_NAME:
                for (byte[] raw : CertificateFields.subjectAltNames(client, GeneralName.rfc822Name)) {
                    String email = new String(raw, StandardCharsets.ISO_8859_1);
                    if (acceptable("Email SubjAltName", raw, log) && email.equals(user)) {
                        log.add("matched client cert Email SubjAltName '" + email + "' to user '" + user + "'");
                        matched = true;
                        break;
                    }
                }
                break;
            default:
                byte[] ext = client.getExtensionValue(config.oid());
                if (ext != null) {
                    byte[] payload = ASN1OctetString.getInstance(ext).getOctets();
                    byte[] value = config.rawOidValue() ? payload : decoded(payload);
                    String text = new String(value, StandardCharsets.UTF_8);
                    if (acceptable(config.oid() + " extension", value, log) && text.equals(user)) {
                        log.add("matched client cert " + config.oid() + " extension '" + text + "' to user '"
                                + user + "'");
                        matched = true;
                    }
                }
                break;
        }
        if (matched) {
            log.add("TLS/X509 TLSUserName '" + config.value() + "' check successful for user '" + user + "'");
            return new Result(true, log,
                    List.of("USER " + user + ": TLS/X509 TLSUserName authentication successful"));
        }
        log.add("TLS/X509 TLSUserName '" + config.value() + "' check failed for user '" + user + "'");
        return new Result(false, log, List.of());
    }

    /** A value with a NUL is ignored and logged as a spoofing attempt. */
    private static boolean acceptable(String what, byte[] value, List<String> log) {
        if (CertificateFields.hasNul(value)) {
            log.add("cert " + what + " contains embedded NULs, rejecting as possible spoof attempt");
            log.add("suspicious " + what + " value: '" + CertificateFields.printable(value) + "'");
            return false;
        }
        return true;
    }

    private static byte[] decoded(byte[] payload) {
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(payload);
            if (p instanceof ASN1String) {
                return ((ASN1String) p).getString().getBytes(StandardCharsets.UTF_8);
            }
            if (p instanceof ASN1OctetString) {
                return ((ASN1OctetString) p).getOctets();
            }
        } catch (IOException | RuntimeException e) {
            // not DER: compare the bytes as they are
        }
        return payload;
    }

    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }
}
