package dev.modtls.pki;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.config.ConfigException;
import dev.modtls.testsupport.TestPki;

public class ProviderPassPhraseSourceTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path script(String body) throws Exception {
        Path p = Files.createTempFile(tmp.getRoot().toPath(), "provider", ".sh");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    public void programGetsServerAndKindAndUnlocksKeys() throws Exception {
        Path calls = tmp.getRoot().toPath().resolve("calls.txt");
        Path program = script("echo \"$1 $2\" >> " + calls + "\ncase \"$2\" in RSA) echo rsa-pw;; EC) echo ec-pw;; "
                + "PKCS12) printf p12-pw;; esac");
        TestPki pki = TestPki.create(tmp.newFolder("pki").toPath());
        TestPki.Issued rsa = pki.server(KeyKind.RSA);
        TestPki.Issued ec = pki.server(KeyKind.EC);
        ProviderPassPhraseSource source = new ProviderPassPhraseSource(program, "ftp.example.org:21");
        ServerCredentials c = ServerCredentials.load(ServerCredentialsSpec.none()
                .withRsa(rsa.certFile(), rsa.keyLegacyEncrypted("rsa-pw"))
                .withEc(ec.certFile(), ec.keyPkcs8Encrypted("ec-pw")).withPassPhrases(source), m -> { });
        assertNotNull(c.identity(KeyKind.RSA));
        assertNotNull(c.identity(KeyKind.EC));
        assertNotNull(ServerCredentials.load(ServerCredentialsSpec.none().withPkcs12(ec.pkcs12("p12-pw"))
                .withPassPhrases(source), m -> { }).identity(KeyKind.EC));
        // asked again for the same file: answered from memory
        assertEquals("rsa-pw", new String(source.passPhrase("RSA", rsa.keyLegacyEncrypted("rsa-pw"))));
        assertEquals("ftp.example.org:21 RSA\nftp.example.org:21 EC\nftp.example.org:21 PKCS12\n",
                Files.readString(calls));
    }

    @Test
    public void failingOrSlowProgramIsAStartError() throws Exception {
        ProviderPassPhraseSource failing = new ProviderPassPhraseSource(script("exit 3"), "h:21");
        try {
            failing.passPhrase("RSA", Path.of("/k.pem"));
            throw new AssertionError();
        } catch (ConfigException e) {
            assertEquals("TLSPassPhraseProvider", e.getDirective());
            assertTrue(e.getReason(), e.getReason().contains("exited with status 3 for '/k.pem'"));
        }
        try {
            new ProviderPassPhraseSource(Path.of("relative.sh"), "h:21");
            throw new AssertionError();
        } catch (ConfigException e) {
            assertTrue(e.getReason(), e.getReason().contains("not an absolute path"));
        }
    }
}
