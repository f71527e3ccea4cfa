package dev.modtls.command;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

import dev.modtls.server.ControlChannel;

/** PBSZ as mod_tls answers it (mod_tls-spec §3.2). */
public final class PbszCommand extends AbstractCommand {

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
        session.resetState();
        ControlChannel control = ControlChannel.of(session);
        control.apply(session, state -> control.engine().policy().pbsz(state, request.getArgument()));
    }
}
