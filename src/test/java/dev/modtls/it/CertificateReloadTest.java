package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.pki.KeyKind;
import dev.modtls.testsupport.TestPki;

/**
 * Live reload (beyond mod_tls): certificate files replaced on disk the way Certbot does it (new files in
 * {@code archive/}, {@code live/} symlinks switched) serve the next new connection, while a session opened before
 * keeps transferring; a broken file keeps the material in service and is logged; a CA file that gains a CA lets its
 * clients in without a restart.
 */
public class CertificateReloadTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private static void link(Path link, Path target) throws Exception {
        Path tmpLink = link.resolveSibling(link.getFileName() + ".new");
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, target);
        Files.move(tmpLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    public void renewedServerCertificateServesNewConnectionsAndOpenSessionsKeepWorking() throws Exception {
        TestPki pki = TestPki.create(tmp.newFolder("pki").toPath());
        TestPki.Issued first = pki.server(KeyKind.RSA);
        TestPki.Issued renewed = pki.cert("localhost").kind(KeyKind.RSA).dns("localhost").ip("127.0.0.1")
                .serverAuth().label("renewed").issue();
        Path archive = tmp.newFolder("archive").toPath();
        Path live = tmp.newFolder("live").toPath();
        Files.copy(first.fullChainFile(), archive.resolve("fullchain1.pem"));
        Files.copy(first.keyPkcs8(), archive.resolve("privkey1.pem"));
        link(live.resolve("fullchain.pem"), archive.resolve("fullchain1.pem"));
        link(live.resolve("privkey.pem"), archive.resolve("privkey1.pem"));

        try (TestServer server = TestServer.builder(tmp.newFolder("server").toPath(), pki).withoutCertificates()
                .directive("TLSRSACertificateFile", live.resolve("fullchain.pem").toString())
                .directive("TLSRSACertificateKeyFile", live.resolve("privkey.pem").toString())
                .directive("TLSCertificateReload", "200ms")
                .start()) {
            assertEquals(first.cert(), server.serverCertificate());
            // An open session whose client resumes the control session on every data connection (mod_tls's
            // default reuse requirement is on): it transfers before and after the renewal.
            Path script = Cli.pythonClient(tmp.getRoot().toPath());
            Path signal = tmp.getRoot().toPath().resolve("renewed");
            Process open = new ProcessBuilder("python3", script.toString(), "127.0.0.1",
                    String.valueOf(server.port()), TestServer.USER, TestServer.PASSWORD, "TLSv1_3", "retr-twice",
                    "hello.txt", signal.toString()).redirectErrorStream(true).start();
            try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(open.getInputStream()))) {
                assertEquals("226 " + TestServer.HELLO.length(), out.readLine());

                Files.copy(renewed.fullChainFile(), archive.resolve("fullchain2.pem"));
                Files.copy(renewed.keyPkcs8(), archive.resolve("privkey2.pem"));
                link(live.resolve("privkey.pem"), archive.resolve("privkey2.pem"));
                link(live.resolve("fullchain.pem"), archive.resolve("fullchain2.pem"));
                Logs.await(server, "reloaded server certificates from ");
                assertEquals(renewed.cert(), server.serverCertificate());

                Files.createFile(signal);
                assertEquals("226 " + TestServer.HELLO.length(), out.readLine());
                assertTrue(open.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals(0, open.exitValue());
            } finally {
                open.destroyForcibly();
            }

            Files.writeString(archive.resolve("fullchain2.pem"), "-----BEGIN CERTIFICATE-----\nbroken\n");
            Logs.await(server, "unable to reload server certificates: TLSRSACertificateFile");
            assertEquals(renewed.cert(), server.serverCertificate());
        }
    }

    @Test
    public void aCaAddedToTheCaFileLetsItsClientsIn() throws Exception {
        TestPki pki = TestPki.create(tmp.newFolder("pki").toPath());
        TestPki.Issued stranger = pki.unknownCaClient("stranger");
        Path caFile = tmp.getRoot().toPath().resolve("ca.pem");
        Files.copy(pki.caBundleFile(), caFile);
        try (TestServer server = TestServer.builder(tmp.newFolder("server").toPath(), pki)
                .directive("TLSVerifyClient", "optional")
                .directive("TLSCACertificateFile", caFile.toString())
                .directive("TLSCertificateReload", "200ms")
                .start()) {
            try (RawFtpClient c = server.connect()) {
                assertEquals(220, c.read().code);
                assertFalse(ClientCertificates.accepted(c, pki.clientContext(stranger), "TLSv1.3"));
            }
            Files.writeString(caFile, Files.readString(caFile) + Files.readString(stranger.issuer().certFile()));
            Logs.await(server, "reloaded CA certificates and CRLs from ");
            try (RawFtpClient c = server.connect()) {
                assertEquals(220, c.read().code);
                assertTrue(ClientCertificates.accepted(c, pki.clientContext(stranger), "TLSv1.3"));
            }
        }
    }
}
