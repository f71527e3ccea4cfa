package dev.modtls.bench;

import java.io.File;

import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;

/**
 * Apache FtpServer 1.2.1 as its own documentation configures explicit FTPS: a {@code NioListener} from
 * {@link ListenerFactory} with an {@link SslConfigurationFactory} over a PKCS#12 keystore, FtpServer's own data
 * connections, a properties user manager, the native file system. The one addition is TLS 1.3 next to TLS 1.2
 * ({@code setSslProtocol("TLSv1.2", "TLSv1.3")}, which the Java API allows and the XML schema does not), so that
 * both servers are compared on the same protocol.
 *
 * <p>{@code StockServer <port> <pkcs12> <password> <users.properties>}; prints {@code FtpServer started}.
 */
public final class StockServer {

    private StockServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        SslConfigurationFactory ssl = new SslConfigurationFactory();
        ssl.setKeystoreFile(new File(args[1]));
        ssl.setKeystoreType("PKCS12");
        ssl.setKeystorePassword(args[2]);
        ssl.setKeyPassword(args[2]);
        ssl.setSslProtocol("TLSv1.2", "TLSv1.3");

        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassiveAddress("127.0.0.1");

        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(port);
        listener.setSslConfiguration(ssl.createSslConfiguration());
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());

        PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
        users.setFile(new File(args[3]));
        users.setPasswordEncryptor(new ClearTextPasswordEncryptor());

        FtpServerFactory factory = new FtpServerFactory();
        factory.addListener("default", listener.createListener());
        factory.setUserManager(users.createUserManager());
        FtpServer server = factory.createServer();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stock-shutdown"));
        System.out.println("FtpServer started");
        System.out.flush();
    }
}
