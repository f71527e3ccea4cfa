package dev.modtls.command;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

import dev.modtls.policy.Decision;
import dev.modtls.server.ControlChannel;

/**
 * AUTH (RFC 2228/4217) as mod_tls answers it (mod_tls-spec §3.1): the policy decides; on acceptance the 234 goes out
 * in clear and the TLS handshake follows on the same connection.
 */
public final class AuthCommand extends AbstractCommand {

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
        session.resetState();
        ControlChannel control = ControlChannel.of(session);
        Decision decision = control.decide(state -> control.engine().policy().auth(state, request.getArgument(),
                session.isLoggedIn(), control.engine().sslContext() != null));
        if (decision.action() == Decision.Action.START_TLS) {
            control.log(decision.logLines());
            control.startTls(session, decision.mechanism().orElseThrow(),
                    new DefaultFtpReply(decision.replyCode(), decision.replyText()));
        } else {
            control.respond(session, decision);
        }
    }
}
