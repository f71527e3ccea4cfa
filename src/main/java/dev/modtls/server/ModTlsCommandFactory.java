package dev.modtls.server;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.CommandFactory;

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
        overlay.forEach((name, command) -> upper.put(name.toUpperCase(Locale.ROOT), command));
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

    /** The factory we overlay. */
    public CommandFactory delegate() {
        return delegate;
    }
}
