package dev.modtls.command;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

import org.apache.ftpserver.ftplet.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.modtls.config.TlsSettings;
import dev.modtls.pki.CertificateLogin;
import dev.modtls.policy.TlsOption;
import dev.modtls.server.ControlChannel;

/**
 * Whether a USER may log in by its client certificate alone (mod_tls-spec §5.4): the control channel is TLS-protected,
 * the client presented a certificate (verified in the handshake, so TLSVerifyClient is optional or on), and either
 * {@code TLSOptions AllowDotLogin} finds the certificate in the user's {@code ~/.tlslogin} or {@code TLSUserName}
 * matches the USER name, in that order. The TLSLog gets mod_tls's lines; the authentication-log lines go to SLF4J.
 */
final class CertificateLoginCheck {

    private static final Logger AUTH_LOG = LoggerFactory.getLogger("dev.modtls.auth");

    private CertificateLoginCheck() {
    }

    /** Whether any certificate login is configured. */
    static boolean configured(TlsSettings settings) {
        return settings.hasOption(TlsOption.ALLOW_DOT_LOGIN) || settings.userName().isPresent();
    }

    /** Runs the configured checks for {@code user} (who exists) on this control channel. */
    static boolean authorizes(ControlChannel control, User user) {
        TlsSettings settings = control.engine().settings();
        X509Certificate client = control.clientCertificate();
        if (!control.state().ctrlProtected() || client == null) {
            return false;
        }
        String name = user.getName();
        if (settings.hasOption(TlsOption.ALLOW_DOT_LOGIN) && user.getHomeDirectory() != null
                && record(control, CertificateLogin.dotLogin(client, Path.of(user.getHomeDirectory()), name))) {
            return true;
        }
        return settings.userName().isPresent() && record(control,
                CertificateLogin.tlsUserName(client, CertificateLogin.TlsUserName.parse(settings.userName().get()),
                        name));
    }

    private static boolean record(ControlChannel control, CertificateLogin.Result r) {
        control.log(r.tlsLog());
        r.authLog().forEach(AUTH_LOG::info);
        return r.ok();
    }
}
