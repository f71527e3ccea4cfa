package dev.modtls.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLException;

import dev.modtls.config.TlsSettings;

/**
 * Turns a failed control handshake into mod_tls's TLSLog detail lines (mod_tls-spec §7.4, "failure detail"). JSSE
 * reports failures as exception messages, not OpenSSL error codes, so the cases mod_tls tells apart are recognised
 * from what the JDK says; the library's own text follows "protocol error: " as OpenSSL's error-queue text does.
 */
final class HandshakeFailureMessages {

    private static final String PREFIX = "unable to accept TLS connection: ";
    private static final List<String> ALL_VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private HandshakeFailureMessages() {
    }

    static List<String> describe(SSLException cause, boolean timedOut, TlsSettings settings) {
        List<String> lines = new ArrayList<>();
        String text = messageOf(cause);
        if (timedOut) {
            lines.add(text);
            return lines;
        }
        if (text.equals(dev.modtls.transport.TlsFilter.PEER_CLOSED_DURING_HANDSHAKE)) {
            lines.add(PREFIX + "TLS connection closed");
            return lines;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("remote host terminated") || lower.contains("closed") && lower.contains("handshake")
                || lower.contains("end of stream") || lower.contains("eof")) {
            lines.add(PREFIX + "received EOF that violates protocol");
            lines.add(PREFIX + "usually this indicates an FTP-aware router, NAT, or firewall interfering with the "
                    + "TLS handshake");
            return lines;
        }
        lines.add(PREFIX + "protocol error: " + text);
        if (lower.contains("protocol") && (lower.contains("not supported") || lower.contains("not enabled")
                || lower.contains("not accepted")
                || lower.contains("no appropriate protocol") || lower.contains("unsupported"))) {
            Set<String> disabled = new LinkedHashSet<>(ALL_VERSIONS);
            disabled.removeAll(settings.protocols());
            if (!disabled.isEmpty()) {
                lines.add(PREFIX + "perhaps client requested disabled TLS protocol version: "
                        + String.join(", ", disabled));
            }
        } else if (lower.contains("no cipher suites in common") || lower.contains("no shared cipher")) {
            if (settings.tls13CipherList().isPresent()) {
                lines.add(PREFIX + "client does not support any cipher from 'TLSCipherSuite " + settings.cipherList()
                        + "' or 'TLSCipherSuite TLSv1.3 " + settings.tls13CipherList().get()
                        + "' (see `openssl ciphers` for full list)");
            } else {
                lines.add(PREFIX + "client does not support any cipher from 'TLSCipherSuite " + settings.cipherList()
                        + "' (see `openssl ciphers " + settings.cipherList() + "` for full list)");
            }
        } else if (lower.contains("empty client certificate chain") || lower.contains("certificate required")) {
            lines.add(PREFIX + "client did not provide certificate, but one is required via 'TLSVerifyClient on'");
        }
        return lines;
    }

    private static String messageOf(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isEmpty() ? cause.getClass().getSimpleName() : message;
    }
}
