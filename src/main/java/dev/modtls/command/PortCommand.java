package dev.modtls.command;

import java.io.IOException;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

import dev.modtls.data.DataConnections;
import dev.modtls.data.DataTransport;

/**
 * PORT on MINA data connections: installs the session's {@code MinaDataConnectionFactory}, then runs FtpServer's
 * own PORT, which now talks to that factory, so its replies, argument rules and checks stay FtpServer's exactly.
 */
public class PortCommand extends AbstractCommand {

    private final DataTransport transport;
    private final org.apache.ftpserver.command.impl.PORT stock = new org.apache.ftpserver.command.impl.PORT();

    public PortCommand(DataTransport transport) {
        this.transport = transport;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
        throws IOException, FtpException {
        DataConnections.install(session, context, transport);
        stock.execute(session, context, request);
    }
}
