package dev.modtls.command;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.impl.USER;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.LocalizedFtpReply;
import org.apache.ftpserver.impl.ServerFtpStatistics;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginRequest;
import org.apache.mina.filter.logging.MdcInjectionFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.modtls.server.ControlChannel;

/**
 * USER with mod_tls's certificate logins (mod_tls-spec §5.4): when the client's certificate authorizes the named user
 * ({@link CertificateLoginCheck}), the user is logged in without a password, with the checks and bookkeeping of
 * FtpServer's own PASS (login limits, per-user concurrent logins, the enabled flag, file system view, statistics,
 * idle time), and the reply is {@code 232 User <name> logged in}. Otherwise FtpServer's USER runs unchanged
 * ({@code 331}).
 *
 * <p>Every USER first clears the certificate-login mark of the session, so a permission to skip the password never
 * outlives the USER it was granted for (ProFTPD issue #2319: a failed certificate USER followed by a USER for another
 * name must not log that name in without a password).
 */
public final class UserCommand extends AbstractCommand {

    /** Session attribute: the name logged in by certificate, set only while that login stands. */
    public static final String CERTIFICATE_LOGIN = "modtls.certificate-login";

    private static final Logger LOG = LoggerFactory.getLogger(UserCommand.class);

    private final Command stock = new USER();

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        if (!session.isLoggedIn()) {
            // a USER while logged in changes nothing (FtpServer answers it); otherwise no earlier grant survives
            session.removeAttribute(CERTIFICATE_LOGIN);
        }
        ControlChannel control = ControlChannel.find(session);
        String name = request.getArgument();
        if (control != null && name != null && !session.isLoggedIn() && !UserManager.ANONYMOUS.equals(name)
                && CertificateLoginCheck.configured(control.engine().settings())) {
            User user = context.getUserManager().getUserByName(name);
            if (user != null && CertificateLoginCheck.authorizes(control, user)) {
                logIn(session, context, request, user);
                return;
            }
        }
        stock.execute(session, context, request);
    }

    /** FtpServer's USER and PASS limits and bookkeeping, without the password. */
    private static void logIn(FtpIoSession session, FtpServerContext context, FtpRequest request, User user) {
        session.resetState();
        MdcInjectionFilter.setProperty(session, "userName", user.getName());
        ServerFtpStatistics stat = (ServerFtpStatistics) context.getFtpStatistics();
        int maxLogin = context.getConnectionConfig().getMaxLogins();
        InetAddress address = session.getRemoteAddress() instanceof InetSocketAddress
                ? ((InetSocketAddress) session.getRemoteAddress()).getAddress() : null;
        ConcurrentLoginRequest concurrent = new ConcurrentLoginRequest(stat.getCurrentUserLoginNumber(user) + 1,
                stat.getCurrentUserLoginNumber(user, address) + 1);
        if (maxLogin != 0 && stat.getCurrentLoginNumber() >= maxLogin || user.authorize(concurrent) == null) {
            session.write(LocalizedFtpReply.translate(session, request, context,
                    FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION, "USER.login", null));
            session.close(false).awaitUninterruptibly(10000);
            return;
        }
        if (!user.getEnabled()) {
            session.write(LocalizedFtpReply.translate(session, request, context, FtpReply.REPLY_530_NOT_LOGGED_IN,
                    "PASS", null));
            return;
        }
        try {
            session.setLogin(context.getFileSystemManager().createFileSystemView(user));
        } catch (FtpException e) {
            LOG.warn("no file system view for {}", user.getName(), e);
            session.write(LocalizedFtpReply.translate(session, request, context, FtpReply.REPLY_530_NOT_LOGGED_IN,
                    "PASS", null));
            return;
        }
        session.setUser(user);
        session.setUserArgument(null);
        session.setMaxIdleTime(user.getMaxIdleTime());
        stat.setLogin(session);
        session.setAttribute(CERTIFICATE_LOGIN, user.getName());
        session.write(new DefaultFtpReply(232, "User " + user.getName() + " logged in"));
        LOG.info("Login success by client certificate - {}", user.getName());
    }
}
