package dev.modtls.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.config.ConfigException;
import dev.modtls.pki.KeyKind;
import dev.modtls.testsupport.TestPki;

/**
 * TLSPassPhraseProvider wired into the listener (mod_tls-spec §1.3.e): the program gets {@code "<ServerName>:<Port>"}
 * and the key kind, its output unlocks an encrypted PEM key or a PKCS#12 bundle, and a failing program stops the
 * start with a message naming the directive.
 */
public class PassPhraseProviderTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private Path provider(String body) throws Exception {
        Path script = tmp.getRoot().toPath().resolve("provider.sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    public void encryptedPemKeyIsUnlockedByTheProvider() throws Exception {
        TestPki pki = TestPki.create(tmp.newFolder("pki").toPath());
        TestPki.Issued ec = pki.server(KeyKind.EC);
        Path args = tmp.getRoot().toPath().resolve("args.txt");
        Path script = provider("echo \"$1 $2\" > '" + args + "'\necho 'open sesame'");
        try (TestServer server = TestServer.builder(tmp.newFolder("server").toPath(), pki).withoutCertificates()
                .directive("TLSECCertificateFile", ec.certFile().toString())
                .directive("TLSECCertificateKeyFile", ec.keyPkcs8Encrypted("open sesame").toString())
                .directive("TLSPassPhraseProvider", script.toString())
                .start()) {
            assertEquals(ec.cert(), server.serverCertificate());
        }
        assertEquals("FtpServer:21 EC", Files.readString(args).trim());
    }

    @Test
    public void pkcs12BundleIsUnlockedByTheProvider() throws Exception {
        TestPki pki = TestPki.create(tmp.newFolder("pki").toPath());
        TestPki.Issued rsa = pki.server(KeyKind.RSA);
        Path args = tmp.getRoot().toPath().resolve("args.txt");
        Path script = provider("echo \"$1 $2\" > '" + args + "'\nprintf 'p12-secret'");
        try (TestServer server = TestServer.builder(tmp.newFolder("server").toPath(), pki).withoutCertificates()
                .directive("TLSPKCS12File", rsa.pkcs12("p12-secret").toString())
                .directive("TLSPassPhraseProvider", script.toString())
                .start()) {
            assertEquals(rsa.cert(), server.serverCertificate());
        }
        assertEquals("FtpServer:21 PKCS12", Files.readString(args).trim());
    }

    @Test
    public void aFailingProviderStopsTheStart() throws Exception {
        TestPki pki = TestPki.create(tmp.newFolder("pki").toPath());
        TestPki.Issued ec = pki.server(KeyKind.EC);
        Path script = provider("echo 'no key for you' >&2\nexit 3");
        try (TestServer server = TestServer.builder(tmp.newFolder("server").toPath(), pki).withoutCertificates()
                .directive("TLSECCertificateFile", ec.certFile().toString())
                .directive("TLSECCertificateKeyFile", ec.keyPkcs8Encrypted("open sesame").toString())
                .directive("TLSPassPhraseProvider", script.toString())
                .start()) {
            fail("started with a failing TLSPassPhraseProvider");
        } catch (ConfigException e) {
            assertEquals("TLSPassPhraseProvider", e.getDirective());
            assertTrue(e.getMessage(), e.getMessage().contains("exited with status 3"));
        }
    }
}
