package dev.modtls.data;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.command.CommandFactoryFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.impl.DefaultFtpServer;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.TransferRatePermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;


/**
 * A stock FtpServer (FtpServerFactory, stock NioListener on 127.0.0.1:0) whose PASV/EPSV/PORT/EPRT are ours, so every
 * transfer runs on {@link MinaDataConnectionFactory}.
 */
final class TestFtpServer implements AutoCloseable {

    static final String USER = "user";
    static final String PASSWORD = "secret";

    final DataTransport transport = new DataTransport(2);
    private final FtpServer server;
    private final Listener listener;

    TestFtpServer(Path root, int maxUploadRate, Consumer<DataConnectionConfigurationFactory> dataConfig)
        throws Exception {
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setIdleTime(20);
        dataConfig.accept(data);

        ListenerFactory listenerFactory = new ListenerFactory();
        listenerFactory.setServerAddress("127.0.0.1");
        listenerFactory.setPort(0);
        listenerFactory.setDataConnectionConfiguration(data.createDataConnectionConfiguration());

        CommandFactoryFactory commands = new CommandFactoryFactory();
        commands.addCommand("PASV", new InstallingCommand(transport, new org.apache.ftpserver.command.impl.PASV()));
        commands.addCommand("EPSV", new InstallingCommand(transport, new org.apache.ftpserver.command.impl.EPSV()));
        commands.addCommand("PORT", new InstallingCommand(transport, new org.apache.ftpserver.command.impl.PORT()));
        commands.addCommand("EPRT", new InstallingCommand(transport, new org.apache.ftpserver.command.impl.EPRT()));

        UserManager users = new PropertiesUserManagerFactory().createUserManager();
        BaseUser user = new BaseUser();
        user.setName(USER);
        user.setPassword(PASSWORD);
        user.setHomeDirectory(root.toString());
        user.setAuthorities(List.<Authority>of(new WritePermission(), new ConcurrentLoginPermission(10, 10),
            new TransferRatePermission(0, maxUploadRate)));
        users.save(user);

        FtpServerFactory factory = new FtpServerFactory();
        factory.addListener("default", listenerFactory.createListener());
        factory.setCommandFactory(commands.createCommandFactory());
        factory.setUserManager(users);
        server = factory.createServer();
        server.start();
        listener = ((DefaultFtpServer) server).getListener("default");
    }

    TestFtpServer(Path root) throws Exception {
        this(root, 0, d -> { });
    }

    int port() {
        return listener.getPort();
    }

    /** A logged-in client in binary mode. */
    FTPClient login(boolean passive) throws Exception {
        FTPClient client = new FTPClient();
        client.setDefaultTimeout(30_000);
        client.setConnectTimeout(10_000);
        client.setDataTimeout(java.time.Duration.ofSeconds(30));
        client.connect("127.0.0.1", port());
        if (!client.login(USER, PASSWORD)) {
            throw new IllegalStateException("login failed: " + client.getReplyString());
        }
        client.setFileType(FTP.BINARY_FILE_TYPE);
        if (passive) {
            client.enterLocalPassiveMode();
        } else {
            client.enterLocalActiveMode();
        }
        if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
            throw new IllegalStateException(client.getReplyString());
        }
        return client;
    }

    /** The data connection factory of the only logged-in session. */
    MinaDataConnectionFactory onlyFactory() {
        for (FtpIoSession session : listener.getActiveSessions()) {
            Object factory = session.getAttribute(DataConnections.FACTORY_ATTRIBUTE);
            if (factory instanceof MinaDataConnectionFactory) {
                return (MinaDataConnectionFactory) factory;
            }
        }
        throw new IllegalStateException("no session with a MINA data connection factory");
    }

    @Override
    public void close() {
        server.stop();
        transport.dispose();
    }
}
