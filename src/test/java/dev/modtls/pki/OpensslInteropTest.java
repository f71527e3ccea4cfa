package dev.modtls.pki;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.testsupport.TestPki;

/**
 * Cross-checks with the {@code openssl} command line tool (skipped where it is not installed): OpenSSL reads the
 * key files TestPki writes, and the loader reads the files OpenSSL writes.
 */
public class OpensslInteropTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static TestPki pki;

    @BeforeClass
    public static void setUp() throws Exception {
        Assume.assumeTrue("openssl CLI available", run("version").startsWith("OpenSSL"));
        pki = TestPki.create(tmp.newFolder("pki").toPath());
    }

    private static String run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timeout";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + out;
        } catch (IOException | InterruptedException e) {
            return "failed: " + e;
        }
    }

    private static void assertOpensslReads(Path key, String pass) {
        String out = pass == null ? run("pkey", "-in", key.toString(), "-noout")
                : run("pkey", "-in", key.toString(), "-passin", "pass:" + pass, "-noout");
        assertEquals(key + ": " + out, "", out);
    }

    @Test
    public void opensslReadsOurKeys() {
        TestPki.Issued rsa = pki.server(KeyKind.RSA);
        TestPki.Issued ec = pki.server(KeyKind.EC);
        assertOpensslReads(rsa.keyPkcs1(), null);
        assertOpensslReads(rsa.keyPkcs8(), null);
        assertOpensslReads(rsa.keyPkcs8Encrypted("pw"), "pw");
        assertOpensslReads(rsa.keyLegacyEncrypted("pw"), "pw");
        assertOpensslReads(ec.keySec1(), null);
        assertOpensslReads(ec.keySec1WithParameters(), null);
        assertOpensslReads(ec.keyPkcs8Encrypted("pw"), "pw");
        assertOpensslReads(ec.keyLegacyEncrypted("pw"), "pw");
        String p12 = run("pkcs12", "-in", rsa.pkcs12("pw").toString(), "-passin", "pass:pw", "-nokeys");
        assertTrue(p12, p12.contains("BEGIN CERTIFICATE"));
    }

    @Test
    public void weReadOpensslKeys() throws Exception {
        Path dir = tmp.newFolder("openssl").toPath();
        String d = dir.toString();
        // RSA: traditional encrypted (PKCS#1 + Proc-Type), PKCS#8 encrypted, self-signed cert
        assertEquals("", quiet(run("genrsa", "-traditional", "-aes256", "-passout", "pass:pw", "-out",
                d + "/rsa-legacy.key", "2048")));
        assertEquals("", quiet(run("pkcs8", "-topk8", "-v2", "aes256", "-in", d + "/rsa-legacy.key", "-passin",
                "pass:pw", "-passout", "pass:pw8", "-out", d + "/rsa-pk8.key")));
        assertEquals("", quiet(run("req", "-x509", "-new", "-key", d + "/rsa-legacy.key", "-passin", "pass:pw",
                "-subj", "/CN=localhost", "-days", "2", "-out", d + "/rsa.crt")));
        // EC: ecparam -genkey writes an EC PARAMETERS block before the SEC1 key
        assertEquals("", quiet(run("ecparam", "-name", "prime256v1", "-genkey", "-out", d + "/ec.key")));
        assertEquals("", quiet(run("req", "-x509", "-new", "-key", d + "/ec.key", "-subj", "/CN=localhost",
                "-days", "2", "-out", d + "/ec.crt")));
        assertEquals("", quiet(run("pkcs12", "-export", "-in", d + "/ec.crt", "-inkey", d + "/ec.key",
                "-passout", "pass:p12", "-out", d + "/ec.p12")));

        ServerCredentials c = ServerCredentials.load(ServerCredentialsSpec.none()
                .withRsa(dir.resolve("rsa.crt"), dir.resolve("rsa-legacy.key"))
                .withEc(dir.resolve("ec.crt"), dir.resolve("ec.key")).withPassPhrases(PassPhraseSource.of("pw")),
                m -> { });
        assertNotNull(c.identity(KeyKind.RSA));
        assertNotNull(c.identity(KeyKind.EC));
        c = ServerCredentials.load(ServerCredentialsSpec.none()
                .withRsa(dir.resolve("rsa.crt"), dir.resolve("rsa-pk8.key"))
                .withPassPhrases(PassPhraseSource.of("pw8")), m -> { });
        assertNotNull(c.identity(KeyKind.RSA));
        c = ServerCredentials.load(ServerCredentialsSpec.none().withPkcs12(dir.resolve("ec.p12"))
                .withPassPhrases(PassPhraseSource.of("p12")), m -> { });
        assertNotNull(c.identity(KeyKind.EC));
    }

    /** OpenSSL 3 prints progress dots for some commands; only error output matters. */
    private static String quiet(String out) {
        return out.startsWith("exit ") || out.startsWith("failed") || out.equals("timeout") ? out : "";
    }
}
