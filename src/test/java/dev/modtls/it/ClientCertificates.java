package dev.modtls.it;

import java.io.IOException;

import javax.net.ssl.SSLContext;

/** Helpers for tests that present client certificates over a {@link RawFtpClient}. */
final class ClientCertificates {

    private ClientCertificates() {
    }

    /**
     * AUTH TLS, then a handshake with {@code context}, then FEAT: whether the server accepted the client. Under TLS
     * 1.3 the client's handshake finishes before the server has checked its certificate, so a refusal shows on the
     * first read after the handshake.
     */
    static boolean accepted(RawFtpClient c, SSLContext context, String protocol) throws IOException {
        if (c.cmd("AUTH TLS").code != 234) {
            throw new AssertionError("AUTH TLS was refused");
        }
        try {
            c.startTls(context, protocol);
            RawFtpClient.Reply r = c.cmd("FEAT");
            return r != null && r.code == 211;
        } catch (IOException refused) {
            return false;
        }
    }
}
