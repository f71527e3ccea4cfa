package dev.modtls.command;

import java.io.IOException;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.impl.PASS;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * PASS after a certificate login ({@link UserCommand}) is answered as ProFTPD answers it,
 * {@code 503 You are already logged in} (mod_tls-spec §5.4); every other PASS is FtpServer's.
 */
public final class PassCommand extends AbstractCommand {

    private final Command stock = new PASS();

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        if (session.isLoggedIn() && session.getAttribute(UserCommand.CERTIFICATE_LOGIN) != null) {
            session.write(new DefaultFtpReply(503, "You are already logged in"));
            return;
        }
        stock.execute(session, context, request);
    }
}
