package dev.modtls.server;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.CommandFactory;

import dev.modtls.command.AuthCommand;
import dev.modtls.command.CccCommand;
import dev.modtls.command.FeatCommand;
import dev.modtls.command.PassCommand;
import dev.modtls.command.PasvCommand;
import dev.modtls.command.PbszCommand;
import dev.modtls.command.ProtCommand;
import dev.modtls.command.UserCommand;

/** The commands ftpserver-modtls serves itself, by name. */
public final class ModTlsCommands {

    private ModTlsCommands() {
    }

    /** Our commands, laid over {@code delegate}. */
    public static ModTlsCommandFactory overlay(CommandFactory delegate) {
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("AUTH", new AuthCommand());
        commands.put("PBSZ", new PbszCommand());
        commands.put("PROT", new ProtCommand());
        commands.put("FEAT", new FeatCommand());
        commands.put("CCC", new CccCommand());
        commands.put("PASV", new PasvCommand());
        commands.put("USER", new UserCommand());
        commands.put("PASS", new PassCommand());
        return new ModTlsCommandFactory(delegate, commands);
    }
}
