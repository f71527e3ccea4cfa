package dev.modtls.command;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

import dev.modtls.server.ControlChannel;

/**
 * PROT as mod_tls answers it (mod_tls-spec §3.3; the argument is case-sensitive). The resulting data protection
 * lives in the session state, which the data connection reads when a transfer opens it.
 */
public final class ProtCommand extends AbstractCommand {

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
        session.resetState();
        ControlChannel control = ControlChannel.of(session);
        if (control.apply(session, state -> control.engine().policy().prot(state, request.getArgument())).allowed()) {
            control.dataProtectionChanged(session);
        }
    }
}
