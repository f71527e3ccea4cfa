package dev.modtls.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.LocalizedFtpReply;

import dev.modtls.server.ControlChannel;
import dev.modtls.server.ModTlsCommandFactory;

/**
 * FEAT: FtpServer's feature list (from its message resource, so a deployment's own FEAT text still counts) without
 * its unconditional {@code AUTH SSL} and {@code AUTH TLS}, plus the lines mod_tls adds when TLSEngine is on
 * (mod_tls-spec §3.6), sorted as ProFTPD's core sorts them. A line is only advertised for a command this server
 * really serves.
 */
public final class FeatCommand extends AbstractCommand {

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
        session.resetState();
        ControlChannel control = ControlChannel.of(session);
        String stock = LocalizedFtpReply.translate(session, request, context,
                FtpReply.REPLY_211_SYSTEM_STATUS_REPLY, "FEAT", null).getMessage();
        List<String> lines = new ArrayList<>(List.of(stock.split("\n")));
        String header = lines.isEmpty() ? "Extensions supported" : lines.remove(0);
        String footer = lines.size() > 0 && !lines.get(lines.size() - 1).startsWith(" ")
                ? lines.remove(lines.size() - 1) : "End";
        TreeSet<String> features = new TreeSet<>();
        for (String line : lines) {
            if (!line.strip().toUpperCase(Locale.ROOT).startsWith("AUTH ")) {
                features.add(line);
            }
        }
        for (String line : control.engine().policy().featLines()) {
            String verb = line.strip().split(" ")[0];
            if (isServed(context, verb)) {
                features.add(line);
            }
        }
        StringBuilder text = new StringBuilder(header).append('\n');
        for (String feature : features) {
            text.append(feature).append('\n');
        }
        text.append(footer);
        session.write(new DefaultFtpReply(FtpReply.REPLY_211_SYSTEM_STATUS_REPLY, text.toString()));
    }

    private static boolean isServed(FtpServerContext context, String verb) {
        if (context.getCommandFactory() instanceof ModTlsCommandFactory) {
            return ((ModTlsCommandFactory) context.getCommandFactory()).serves(verb);
        }
        return context.getCommandFactory().getCommand(verb) != null;
    }
}
