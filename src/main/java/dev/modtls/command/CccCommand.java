package dev.modtls.command;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

import dev.modtls.policy.Decision;
import dev.modtls.server.ControlChannel;

/**
 * CCC, Clear Command Channel (RFC 4217 §6; mod_tls-spec §3.4): the 200 goes out inside TLS, then TLS is shut down
 * on the control connection while TCP stays open. Data protection is unchanged.
 */
public final class CccCommand extends AbstractCommand {

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
        session.resetState();
        ControlChannel control = ControlChannel.of(session);
        Decision decision = control.apply(session, state -> control.engine().policy().ccc(state, session.isLoggedIn()));
        if (decision.action() == Decision.Action.CLEAR_TLS) {
            control.clearTls(session);
        }
    }
}
