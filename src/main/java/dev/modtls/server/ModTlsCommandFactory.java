package dev.modtls.server;

import java.io.IOException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.CommandFactory;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.LocalizedFtpReply;

/**
 * FtpServer's command factory with our commands laid over it: mod_tls's AUTH, PBSZ, PROT, FEAT (and the data-channel
 * commands as they arrive). Every other command is the wrapped factory's, so a deployment's own custom commands
 * keep working.
 */
public final class ModTlsCommandFactory implements CommandFactory {

    private final CommandFactory delegate;
    private final Map<String, Command> overlay;

    public ModTlsCommandFactory(CommandFactory delegate, Map<String, Command> overlay) {
        this.delegate = delegate;
        Map<String, Command> upper = new TreeMap<>();
        overlay.forEach((name, command) -> {
            String verb = name.toUpperCase(Locale.ROOT);
            upper.put(verb, new OnOurListeners(verb, command, delegate));
        });
        this.overlay = Collections.unmodifiableMap(upper);
    }

    @Override
    public Command getCommand(String commandName) {
        if (commandName == null) {
            return null;
        }
        Command ours = overlay.get(commandName.toUpperCase(Locale.ROOT));
        return ours != null ? ours : delegate.getCommand(commandName);
    }

    /** Whether our module serves this command itself (used by FEAT to advertise only what is implemented). */
    public boolean serves(String commandName) {
        return overlay.containsKey(commandName.toUpperCase(Locale.ROOT));
    }

    /**
     * Runs our command for sessions of our listener and the wrapped factory's for sessions of any other listener of
     * the same server (a stock {@code <nio-listener>} next to ours keeps FtpServer's behaviour).
     */
    private static final class OnOurListeners implements Command {
        private final String verb;
        private final Command ours;
        private final CommandFactory delegate;

        OnOurListeners(String verb, Command ours, CommandFactory delegate) {
            this.verb = verb;
            this.ours = ours;
            this.delegate = delegate;
        }

        @Override
        public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
                throws IOException, FtpException {
            if (ControlChannel.find(session) != null) {
                ours.execute(session, context, request);
                return;
            }
            Command stock = delegate.getCommand(verb);
            if (stock != null) {
                stock.execute(session, context, request);
            } else {
                session.write(LocalizedFtpReply.translate(session, request, context,
                        FtpReply.REPLY_502_COMMAND_NOT_IMPLEMENTED, "not.implemented", null));
            }
        }
    }

    /** The factory we overlay. */
    public CommandFactory delegate() {
        return delegate;
    }
}
