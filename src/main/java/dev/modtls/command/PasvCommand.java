package dev.modtls.command;

import org.apache.ftpserver.command.impl.PASV;
import org.apache.ftpserver.impl.FtpIoSession;

import dev.modtls.server.ControlChannel;

/**
 * PASV with TLSMasqueradeAddress (mod_tls-spec §7.3): an FTPS session (after AUTH) is told the masquerade address,
 * because an FTP-aware NAT cannot rewrite an encrypted PASV reply; a clear session keeps FtpServer's passive external
 * address. Everything else is FtpServer's PASV, which leaves exactly this method to be overridden. EPSV carries no
 * address and needs no change.
 */
public final class PasvCommand extends PASV {

    @Override
    protected String getPassiveExternalAddress(FtpIoSession session) {
        ControlChannel control = ControlChannel.find(session);
        if (control != null && control.state().tlsMechanism() && control.engine().masqueradeAddress() != null) {
            return control.engine().masqueradeAddress();
        }
        return super.getPassiveExternalAddress(session);
    }
}
