package dev.modtls.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.command.CommandFactoryFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.impl.DefaultFtpServer;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.apache.mina.filter.ssl.SslFilter;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.log.TlsLog;

/**
 * Protected data connections end to end: stock AUTH TLS / PBSZ / PROT on the control channel (the lead's commands
 * replace these later), our PASV, the TLS filter and the session-reuse guard on the data connection. The test's
 * PBSZ wrapper plays the lead's part: it binds the guard token into the control session and stores a
 * {@link DataChannelSecurity} in the control session. The client opens data connections itself, layering the data
 * socket over the control connection's host and port so that the JDK client offers the control session, as FTPS
 * clients that reuse sessions do.
 */
public class ProtectedDataTransferTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private FtpServer server;
    private int port;
    private final List<String> tlsLog = Collections.synchronizedList(new ArrayList<>());
    private volatile int handshakeTimeout = 10;

    @After
    public void tearDown() {
        if (server != null) {
            server.stop();
        }
    }

    /** The lead's side, reduced to what the data connections read. */
    private final class TestSecurity implements DataChannelSecurity {
        final SSLContext context;
        final String[] protocols;
        final SSLSession control;
        final String token;
        int generation;

        TestSecurity(SSLContext context, String[] protocols, SSLSession control) {
            this.context = context;
            this.protocols = protocols;
            this.control = control;
            this.token = SessionReuseGuard.bindToken(control);
        }

        @Override
        public boolean isDataProtected() {
            return false; // PROT P sets the factory's own flag
        }

        @Override
        public SSLContext sslContext() {
            return context;
        }

        @Override
        public String[] enabledProtocols() {
            return protocols;
        }

        @Override
        public int handshakeTimeoutSeconds() {
            return handshakeTimeout;
        }

        @Override
        public SSLSession controlSession() {
            return control;
        }

        @Override
        public String controlToken() {
            return token;
        }

        @Override
        public TlsLog tlsLog() {
            return (id, message) -> tlsLog.add(message);
        }

        @Override
        public void afterTransfer(boolean protectedTransfer) {
            control.putValue("dev.modtls.ticket-generation", ++generation);
        }
    }

    private void start(Path root, SSLContext context, String protocol, DataTransport transport) throws Exception {
        String[] protocols = {protocol};
        SslConfiguration ssl = new SslConfiguration() {
            @Override
            public SSLSocketFactory getSocketFactory() {
                return context.getSocketFactory();
            }

            @Override
            public SSLContext getSSLContext() {
                return context;
            }

            @Override
            public SSLContext getSSLContext(String p) {
                return context;
            }

            @Override
            public String[] getEnabledCipherSuites() {
                return null;
            }

            @Override
            public String[] getEnabledProtocols() {
                return protocols;
            }

            @Override
            public String getEnabledProtocol() {
                return protocol;
            }

            @Override
            public ClientAuth getClientAuth() {
                return ClientAuth.NONE;
            }
        };
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(0);
        listener.setSslConfiguration(ssl);

        CommandFactoryFactory commands = new CommandFactoryFactory();
        commands.addCommand("PASV", new InstallingCommand(transport, new org.apache.ftpserver.command.impl.PASV()));
        commands.addCommand("EPRT", new InstallingCommand(transport, new org.apache.ftpserver.command.impl.EPRT()));
        AbstractCommand stockPbsz = new org.apache.ftpserver.command.impl.PBSZ();
        commands.addCommand("PBSZ", new AbstractCommand() {
            @Override
            public void execute(FtpIoSession session, FtpServerContext ctx, FtpRequest request)
                throws IOException, FtpException {
                SSLSession control = (SSLSession) session.getAttribute(SslFilter.SSL_SECURED);
                session.setAttribute(DataChannelSecurity.SESSION_ATTRIBUTE, new TestSecurity(context, protocols, control));
                stockPbsz.execute(session, ctx, request);
            }
        });

        UserManager users = new PropertiesUserManagerFactory().createUserManager();
        BaseUser user = new BaseUser();
        user.setName("user");
        user.setPassword("pw");
        user.setHomeDirectory(root.toString());
        user.setAuthorities(List.<Authority>of(new WritePermission()));
        users.save(user);

        FtpServerFactory factory = new FtpServerFactory();
        factory.addListener("default", listener.createListener());
        factory.setCommandFactory(commands.createCommandFactory());
        factory.setUserManager(users);
        server = factory.createServer();
        server.start();
        port = ((DefaultFtpServer) server).getListener("default").getPort();
    }

    private FTPSClient login(SSLContext clientContext) throws Exception {
        FTPSClient client = new FTPSClient(false, clientContext);
        client.setDefaultTimeout(20_000);
        client.connect("127.0.0.1", port);
        assertTrue(client.login("user", "pw"));
        client.execPBSZ(0);
        client.execPROT("P");
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    private int pasvPort(FTPSClient client) throws IOException {
        assertEquals(227, client.pasv());
        String reply = client.getReplyString();
        String[] n = reply.substring(reply.indexOf('(') + 1, reply.indexOf(')')).split(",");
        return Integer.parseInt(n[4].trim()) * 256 + Integer.parseInt(n[5].trim());
    }

    /** A data connection: TCP first, then the command (150), then the TLS handshake, as FTPS clients do it. */
    private EngineClient dataConnection(FTPSClient client, SSLContext dataContext, String command, String arg)
        throws IOException {
        Socket plain = new Socket("127.0.0.1", pasvPort(client));
        plain.setSoTimeout(20_000);
        assertEquals(client.getReplyString(), 150, client.sendCommand(command, arg));
        return new EngineClient(dataContext, plain, "127.0.0.1", port);
    }

    private void protectedTransfers(String protocol) throws Exception {
        SSLContext serverContext = TlsTestContexts.server();
        DataTransport transport = new DataTransport(2);
        Path root = tmp.newFolder().toPath();
        byte[] content = new byte[300_000];
        new Random(11).nextBytes(content);
        Files.write(root.resolve("file.bin"), content);
        try {
            start(root, serverContext, protocol, transport);
            SSLContext clientContext = TlsTestContexts.client(null);
            FTPSClient client = login(clientContext);

            for (int transfer = 0; transfer < 3; transfer++) {
                try (EngineClient data = dataConnection(client, clientContext, "RETR", "file.bin")) {
                    data.handshake();
                    assertEquals(protocol, data.session().getProtocol());
                    assertArrayEquals(content, data.readAll());
                    assertTrue("close_notify before the end of the download", data.peerSentCloseNotify());
                }
                assertEquals(client.getReplyString(), 226, client.getReply());
            }

            byte[] upload = new byte[200_000];
            new Random(12).nextBytes(upload);
            try (EngineClient data = dataConnection(client, clientContext, "STOR", "up.bin")) {
                data.handshake();
                data.write(upload);
            } // close() sends close_notify
            assertEquals(client.getReplyString(), 226, client.getReply());
            assertArrayEquals(upload, Files.readAllBytes(root.resolve("up.bin")));

            // A data connection that does not resume the control session: 150, then mod_tls's 425.
            int before = tlsLog.size();
            try (EngineClient data = dataConnection(client, TlsTestContexts.client(null), "RETR", "file.bin")) {
                data.handshake();
                data.readAll();
            } catch (IOException expected) {
                // the server closes the refused connection
            }
            assertEquals(425, client.getReply());
            assertEquals("425 Unable to build data connection: Operation not permitted", client.getReplyString().trim());
            assertEquals(List.of("client did not reuse TLS session, rejecting data connection (see the "
                    + "NoSessionReuseRequired TLSOptions parameter)",
                "unable to open data connection: TLS negotiation failed"), tlsLog.subList(before, tlsLog.size()));

            assertTrue("the control connection goes on", client.sendNoOp());
            try (EngineClient data = dataConnection(client, clientContext, "RETR", "file.bin")) {
                data.handshake();
                assertArrayEquals(content, data.readAll());
            }
            assertEquals(226, client.getReply());

            // An upload whose TLS stream ends without close_notify is a failed transfer: 426, never 226.
            try (EngineClient data = dataConnection(client, clientContext, "STOR", "truncated.bin")) {
                data.handshake();
                data.write(upload);
                data.abortWithoutCloseNotify();
            }
            assertEquals(client.getReplyString(), 426, client.getReply());
            assertTrue(client.sendNoOp());
            client.disconnect();

            long accepted = tlsLog.stream().filter(l -> l.contains("data connection accepted")).count();
            assertEquals("the accepted line is written once per session: " + tlsLog, 1, accepted);
            String line = tlsLog.stream().filter(l -> l.contains("data connection accepted")).findFirst().get();
            assertTrue(line, line.startsWith(protocol + " data connection accepted, using cipher "));
            assertTrue(line, line.endsWith(" bits, resumed session)"));
        } finally {
            System.out.println(protocol + " TLSLog: " + tlsLog);
            transport.dispose();
        }
    }

    @Test
    public void silentClientHitsTheHandshakeTimeoutAndListingsWorkAfterwards() throws Exception {
        handshakeTimeout = 1;
        SSLContext serverContext = TlsTestContexts.server();
        DataTransport transport = new DataTransport(2);
        Path root = tmp.newFolder().toPath();
        Files.write(root.resolve("a.txt"), new byte[] {'a'});
        try {
            start(root, serverContext, "TLSv1.3", transport);
            SSLContext clientContext = TlsTestContexts.client(null);
            FTPSClient client = login(clientContext);
            long start = System.nanoTime();
            try (EngineClient silent = dataConnection(client, clientContext, "LIST", null)) {
                assertEquals(425, client.getReply());
                silent.abortWithoutCloseNotify();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue("timed out after " + millis + " ms", millis >= 900 && millis < 5000);
            assertEquals("425 Unable to build data connection: Operation not permitted", client.getReplyString().trim());
            assertEquals(List.of("TLS negotiation timed out (1 seconds)",
                "unable to open data connection: TLS negotiation failed"), tlsLog);

            try (EngineClient data = dataConnection(client, clientContext, "NLST", null)) {
                data.handshake();
                assertEquals("a.txt\r\n", new String(data.readAll(), java.nio.charset.StandardCharsets.UTF_8));
            }
            assertEquals(226, client.getReply());
            client.disconnect();
        } finally {
            transport.dispose();
        }
    }

    @Test
    public void activeProtectedTransferResumesTheControlSession() throws Exception {
        SSLContext serverContext = TlsTestContexts.server();
        DataTransport transport = new DataTransport(2);
        Path root = tmp.newFolder().toPath();
        byte[] content = new byte[123_456];
        new Random(13).nextBytes(content);
        Files.write(root.resolve("f.bin"), content);
        try {
            start(root, serverContext, "TLSv1.3", transport);
            SSLContext clientContext = TlsTestContexts.client(null);
            FTPSClient client = login(clientContext);
            for (int transfer = 0; transfer < 2; transfer++) {
                try (java.net.ServerSocket mine = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    mine.setSoTimeout(10_000);
                    assertEquals(200, client.sendCommand("EPRT", "|1|127.0.0.1|" + mine.getLocalPort() + "|"));
                    assertEquals(150, client.sendCommand("RETR", "f.bin"));
                    Socket accepted = mine.accept();
                    accepted.setSoTimeout(10_000);
                    try (EngineClient data = new EngineClient(clientContext, accepted, "127.0.0.1", port)) {
                        data.handshake();
                        assertArrayEquals(content, data.readAll());
                    }
                }
                assertEquals(client.getReplyString(), 226, client.getReply());
            }
            client.disconnect();
            assertEquals(3, tlsLog.size());
            assertTrue(tlsLog.toString(), tlsLog.get(1).startsWith("TLSv1.3 data connection accepted"));
        } finally {
            transport.dispose();
        }
    }

    @Test
    public void tls12ProtectedTransfersResumeAndAStrangerIsRefused() throws Exception {
        protectedTransfers("TLSv1.2");
    }

    @Test
    public void tls13ProtectedTransfersResumeAndAStrangerIsRefused() throws Exception {
        protectedTransfers("TLSv1.3");
    }
}
