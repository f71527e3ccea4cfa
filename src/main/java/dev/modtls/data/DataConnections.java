package dev.modtls.data;

import java.net.InetSocketAddress;

import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.ServerDataConnectionFactory;

/**
 * Puts a {@link MinaDataConnectionFactory} into a control session, where FtpServer's
 * {@code FtpIoSession.getDataConnection()} finds it (session attribute {@value #FACTORY_ATTRIBUTE}), carrying over
 * the PROT and MODE Z flags of a stock factory created earlier, and adds the {@link DataRefusalReplyFilter} to the
 * control chain. Our listener calls it when a session is created, so FtpServer's own PASV/EPSV/PORT/EPRT and
 * transfer commands talk to this factory.
 */
public final class DataConnections {

    /** FtpServer's (private) session attribute key for the data connection factory, unchanged since 1.0. */
    public static final String FACTORY_ATTRIBUTE = "org.apache.ftpserver.data-connection";

    private DataConnections() {
    }

    /** Returns the session's MINA factory, installing it first if the session still has the stock one or none. */
    public static MinaDataConnectionFactory install(FtpIoSession session, FtpServerContext context,
                                                    DataTransport transport) {
        Object existing = session.getAttribute(FACTORY_ATTRIBUTE);
        if (existing instanceof MinaDataConnectionFactory) {
            return (MinaDataConnectionFactory) existing;
        }
        MinaDataConnectionFactory factory = new MinaDataConnectionFactory(context, session, transport);
        factory.setServerControlAddress(((InetSocketAddress) session.getLocalAddress()).getAddress());
        if (existing instanceof ServerDataConnectionFactory) {
            ServerDataConnectionFactory stock = (ServerDataConnectionFactory) existing;
            factory.setSecure(stock.isSecure());
            factory.setZipMode(stock.isZipMode());
            stock.closeDataConnection();
        }
        session.setAttribute(FACTORY_ATTRIBUTE, factory);
        if (!session.getFilterChain().contains(DataRefusalReplyFilter.NAME)) {
            session.getFilterChain().addLast(DataRefusalReplyFilter.NAME, new DataRefusalReplyFilter());
        }
        return factory;
    }
}
