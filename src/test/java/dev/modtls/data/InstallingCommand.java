package dev.modtls.data;

import java.io.IOException;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * For the data-package tests, which run on a stock FtpServer listener: installs the MINA data-connection factory
 * before a stock PASV/EPSV/PORT/EPRT runs (our own listener installs it when a session is created).
 */
final class InstallingCommand extends AbstractCommand {

    private final DataTransport transport;
    private final Command stock;

    InstallingCommand(DataTransport transport, Command stock) {
        this.transport = transport;
        this.stock = stock;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        DataConnections.install(session, context, transport);
        stock.execute(session, context, request);
    }
}
