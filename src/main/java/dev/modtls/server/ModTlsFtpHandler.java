package dev.modtls.server;

import java.util.Set;

import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.ftpletcontainer.FtpletContainer;
import org.apache.ftpserver.impl.DefaultFtpHandler;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.LocalizedFtpReply;
import org.apache.ftpserver.listener.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.modtls.data.DataTransport;

/**
 * FtpServer's handler with two changes that mod_tls's behaviour needs and no Ftplet can make, because the stock
 * handler decides them before any Ftplet runs:
 * <ol>
 * <li>the TLSRequired pre-command gate (mod_tls-spec §2.2 A) runs first, for every command, logged in or not, so a
 * clear-text NOOP under {@code TLSRequired on} gets {@code 550 SSL/TLS required on the control channel}, not
 * FtpServer's {@code 530};</li>
 * <li>FEAT, SYST, HOST and CLNT are served before login, as ProFTPD does (stock FtpServer answers 530).</li>
 * </ol>
 * Everything else is the stock handler's.
 */
public class ModTlsFtpHandler extends DefaultFtpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ModTlsFtpHandler.class);

    /**
     * Commands served before login in addition to FtpServer's own USER, PASS, AUTH, QUIT, PROT and PBSZ. CCC and SSCN
     * are here so that their own "530 Please login with USER and PASS" (mod_tls's wording) answers them.
     */
    static final Set<String> EXTRA_PRE_LOGIN_COMMANDS = Set.of("FEAT", "SYST", "HOST", "CLNT", "CCC", "SSCN");

    private final TlsEngine engine;
    private final DataTransport dataTransport;
    private FtpServerContext context;

    public ModTlsFtpHandler(TlsEngine engine, DataTransport dataTransport) {
        this.engine = engine;
        this.dataTransport = dataTransport;
    }

    @Override
    public void init(FtpServerContext serverContext, Listener listener) {
        super.init(serverContext, listener);
        this.context = serverContext;
    }

    @Override
    public void sessionCreated(FtpIoSession session) throws Exception {
        super.sessionCreated(session);
        ControlChannel.attach(session, engine, context, dataTransport);
    }

    @Override
    public void sessionClosed(FtpIoSession session) throws Exception {
        try {
            super.sessionClosed(session);
        } finally {
            ControlChannel control = ControlChannel.find(session);
            if (control != null) {
                control.sessionClosed();
            }
        }
    }

    @Override
    public void messageReceived(FtpIoSession session, FtpRequest request) throws Exception {
        ControlChannel control = ControlChannel.of(session);
        if (control.handshakePending()) {
            // A command that reached us after AUTH but before the handshake was sent in clear behind the AUTH
            // (pipelined, or injected by a man in the middle: the STARTTLS injection attack). mod_tls would have
            // read those bytes as a broken TLS record; so do we: the handshake fails.
            control.refuseClearTextDuringHandshake(session, request.getCommand());
            return;
        }
        if (control.refuseByPolicy(session, request)) {
            session.updateLastAccessTime();
            return;
        }
        if (!session.isLoggedIn() && EXTRA_PRE_LOGIN_COMMANDS.contains(request.getCommand())) {
            dispatchBeforeLogin(session, request);
            return;
        }
        super.messageReceived(session, request);
    }

    /**
     * Runs one of {@link #EXTRA_PRE_LOGIN_COMMANDS} the way the stock handler runs a command after login: Ftplets'
     * beforeCommand, the command, afterCommand.
     */
    private void dispatchBeforeLogin(FtpIoSession session, FtpRequest request) throws Exception {
        session.updateLastAccessTime();
        FtpletContainer ftplets = context.getFtpletContainer();
        FtpletResult result;
        try {
            result = ftplets.beforeCommand(session.getFtpletSession(), request);
        } catch (Exception e) {
            LOG.debug("Ftplet threw an exception in beforeCommand", e);
            result = FtpletResult.DISCONNECT;
        }
        if (result == FtpletResult.DISCONNECT) {
            session.close(false).awaitUninterruptibly(10000);
            return;
        }
        if (result == FtpletResult.SKIP) {
            return;
        }
        try {
            Command command = context.getCommandFactory().getCommand(request.getCommand());
            if (command != null) {
                command.execute(session, context, request);
            } else {
                session.write(LocalizedFtpReply.translate(session, request, context,
                        FtpReply.REPLY_502_COMMAND_NOT_IMPLEMENTED, "not.implemented", null));
            }
        } catch (Exception e) {
            LOG.warn("{} failed", request.getCommand(), e);
            session.write(LocalizedFtpReply.translate(session, request, context,
                    FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, null, null));
            return;
        }
        try {
            result = ftplets.afterCommand(session.getFtpletSession(), request, session.getLastReply());
        } catch (Exception e) {
            LOG.debug("Ftplet threw an exception in afterCommand", e);
            result = FtpletResult.DISCONNECT;
        }
        if (result == FtpletResult.DISCONNECT) {
            session.close(false).awaitUninterruptibly(10000);
        }
    }
}
