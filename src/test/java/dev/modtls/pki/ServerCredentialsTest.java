package dev.modtls.pki;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.modtls.config.ConfigException;
import dev.modtls.testsupport.TestPki;

public class ServerCredentialsTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static TestPki pki;
    private static TestPki.Issued rsa;
    private static TestPki.Issued ec;

    @BeforeClass
    public static void makePki() throws Exception {
        pki = TestPki.create(tmp.newFolder("pki").toPath());
        rsa = pki.server(KeyKind.RSA);
        ec = pki.server(KeyKind.EC);
    }

    private static ServerCredentials load(ServerCredentialsSpec spec, List<String> info) {
        return ServerCredentials.load(spec, info::add);
    }

    private static ServerCredentials load(ServerCredentialsSpec spec) {
        return load(spec, new ArrayList<>());
    }

    private static void assertRsa(ServerCredentials c) {
        ServerIdentity id = c.identity(KeyKind.RSA);
        assertNotNull(id);
        assertEquals(rsa.cert(), id.leaf());
        assertTrue(ServerCredentials.matches(id.privateKey(), rsa.cert()));
    }

    private static void assertEc(ServerCredentials c) {
        ServerIdentity id = c.identity(KeyKind.EC);
        assertNotNull(id);
        assertEquals(ec.cert(), id.leaf());
        assertTrue(ServerCredentials.matches(id.privateKey(), ec.cert()));
    }

    // ---- every loading format ----

    @Test
    public void rsaPkcs1() {
        ServerCredentials c = load(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs1()));
        assertRsa(c);
        assertNull(c.identity(KeyKind.EC));
        assertEquals(1, c.identities().size());
        assertTrue(Files.exists(rsa.keyPkcs1()));
    }

    @Test
    public void pkcs1FileReallyIsPkcs1() throws Exception {
        assertTrue(Files.readString(rsa.keyPkcs1()).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(Files.readString(ec.keySec1()).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        assertTrue(Files.readString(ec.keySec1WithParameters()).startsWith("-----BEGIN EC PARAMETERS-----"));
        assertTrue(Files.readString(rsa.keyPkcs8()).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(rsa.keyPkcs8Encrypted("s3cret"))
                .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assertTrue(Files.readString(rsa.keyLegacyEncrypted("s3cret")).contains("Proc-Type: 4,ENCRYPTED"));
    }

    @Test
    public void rsaPkcs8() {
        assertRsa(load(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs8())));
    }

    @Test
    public void rsaEncryptedPkcs8() {
        assertRsa(load(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs8Encrypted("s3cret"))
                .withPassPhrases(PassPhraseSource.of("s3cret"))));
    }

    @Test
    public void rsaLegacyEncryptedPem() {
        assertRsa(load(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyLegacyEncrypted("s3cret"))
                .withPassPhrases(PassPhraseSource.of("s3cret"))));
    }

    @Test
    public void rsaKeyInCertificateFile() {
        assertRsa(load(ServerCredentialsSpec.none().withRsa(rsa.certAndKeyFile(), null)));
    }

    @Test
    public void ecSec1() {
        assertEc(load(ServerCredentialsSpec.none().withEc(ec.certFile(), ec.keySec1())));
    }

    @Test
    public void ecSec1WithParametersBlock() {
        assertEc(load(ServerCredentialsSpec.none().withEc(ec.certFile(), ec.keySec1WithParameters())));
    }

    @Test
    public void ecSec1WithCurveOnlyInParametersBlock() {
        assertEc(load(ServerCredentialsSpec.none().withEc(ec.certFile(), ec.keySec1CurveOnlyInParameters())));
    }

    @Test
    public void ecPkcs8PlainAndEncrypted() {
        assertEc(load(ServerCredentialsSpec.none().withEc(ec.certFile(), ec.keyPkcs8())));
        assertEc(load(ServerCredentialsSpec.none().withEc(ec.certFile(), ec.keyPkcs8Encrypted("pw"))
                .withPassPhrases(PassPhraseSource.of("pw"))));
        assertEc(load(ServerCredentialsSpec.none().withEc(ec.certFile(), ec.keyLegacyEncrypted("pw"))
                .withPassPhrases(PassPhraseSource.of("pw"))));
    }

    @Test
    public void ecKeyInCertificateFile() {
        assertEc(load(ServerCredentialsSpec.none().withEc(ec.certAndKeyFile(), null)));
    }

    @Test
    public void passPhraseSourceIsAskedWithKindAndFile() {
        List<String> asked = new ArrayList<>();
        Path key = ec.keyPkcs8Encrypted("pw");
        load(ServerCredentialsSpec.none().withEc(ec.certFile(), key).withPassPhrases((kind, file) -> {
            asked.add(kind + " " + file);
            return "pw".toCharArray();
        }));
        assertEquals(List.of("EC " + key), asked);
    }

    @Test
    public void rsaAndEcTogether() {
        ServerCredentials c = load(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs1())
                .withEc(ec.certFile(), ec.keySec1()));
        assertRsa(c);
        assertEc(c);
        assertEquals(2, c.identities().size());
        assertEquals(1, c.keyManagers().length);
    }

    @Test
    public void pkcs12RsaAndEc() {
        ServerCredentials c = load(ServerCredentialsSpec.none().withPkcs12(rsa.pkcs12("p12pw"))
                .withPassPhrases(PassPhraseSource.of("p12pw")));
        assertRsa(c);
        // the bundle carries the intermediate after the leaf
        assertEquals(List.of(rsa.cert(), pki.intermediate().cert()), c.identity(KeyKind.RSA).chain());
        assertEc(load(ServerCredentialsSpec.none().withPkcs12(ec.pkcs12("p12pw"))
                .withPassPhrases(PassPhraseSource.of("p12pw"))));
    }

    @Test
    public void pkcs12ReplacesSameKindAndSaysSo() {
        List<String> info = new ArrayList<>();
        ServerCredentials c = load(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs1())
                .withPkcs12(rsa.pkcs12("p12pw")).withPassPhrases(PassPhraseSource.of("p12pw")), info);
        assertEquals(rsa.pkcs12("p12pw"), c.identity(KeyKind.RSA).source());
        assertEquals(1, info.size());
        assertTrue(info.get(0), info.get(0).startsWith("TLSPKCS12File '" + rsa.pkcs12("p12pw") + "' replaces"));
    }

    @Test
    public void chainFileIsAppendedAndLeafCopySkipped() throws Exception {
        // a chain file with the leaf first, then the intermediate (as "fullchain" files often are)
        Path chain = rsa.fullChainFile();
        List<String> info = new ArrayList<>();
        ServerCredentials c = load(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs1())
                .withEc(ec.certFile(), ec.keySec1()).withChain(chain), info);
        assertEquals(List.of(rsa.cert(), pki.intermediate().cert()), c.identity(KeyKind.RSA).chain());
        assertEquals(List.of(ec.cert(), pki.intermediate().cert()), c.identity(KeyKind.EC).chain());
        assertEquals(List.of("added 1 certs from '" + chain + "' to SSL_CTX certificate chain"), info);
    }

    @Test
    public void certificateFileWithChainKeepsIt() {
        ServerCredentials c = load(ServerCredentialsSpec.none().withRsa(rsa.fullChainFile(), rsa.keyPkcs1()));
        assertEquals(List.of(rsa.cert(), pki.intermediate().cert()), c.identity(KeyKind.RSA).chain());
    }

    @Test
    public void selfSignedGeneratorRoundTrips() throws Exception {
        for (SelfSignedCertificates.KeyKind k : SelfSignedCertificates.KeyKind.values()) {
            Path dir = tmp.newFolder("self-" + k).toPath();
            Path cert = dir.resolve("c.pem");
            Path key = dir.resolve("k.pem");
            assertTrue(SelfSignedCertificates.ensure(cert, key, k, "localhost"));
            KeyKind kind = KeyKind.valueOf(k.name());
            ServerCredentialsSpec spec = kind == KeyKind.RSA ? ServerCredentialsSpec.none().withRsa(cert, key)
                    : ServerCredentialsSpec.none().withEc(cert, key);
            ServerCredentials c = load(spec);
            assertNotNull(c.identity(kind));
            assertEquals(PemFiles.certificates(cert), c.identity(kind).chain());
        }
    }

    @Test
    public void emptySpecIsEmpty() {
        ServerCredentials c = load(ServerCredentialsSpec.none());
        assertTrue(c.isEmpty());
        assertTrue(c.identities().isEmpty());
    }

    // ---- start errors ----

    private static ConfigException error(ServerCredentialsSpec spec) {
        try {
            load(spec);
        } catch (ConfigException e) {
            return e;
        }
        fail("expected a ConfigException");
        return null;
    }

    private static void assertError(ConfigException e, String directive, Path file, String reasonPart) {
        assertEquals(e.getMessage(), directive, e.getDirective());
        assertTrue(e.getMessage(), e.getMessage().startsWith(directive + ": "));
        assertTrue(e.getMessage(), e.getReason().contains("'" + file + "'"));
        assertTrue(e.getMessage(), e.getReason().contains(reasonPart));
    }

    @Test
    public void missingCertificateFile() {
        Path missing = pki.dir().resolve("nope.crt");
        ConfigException e = error(ServerCredentialsSpec.none().withRsa(missing, rsa.keyPkcs1()));
        assertEquals("TLSRSACertificateFile", e.getDirective());
        assertEquals("'" + missing + "' does not exist or does not contain a certificate", e.getReason());
    }

    @Test
    public void fileWithoutCertificate() {
        ConfigException e = error(ServerCredentialsSpec.none().withEc(ec.keySec1(), null));
        assertEquals("TLSECCertificateFile", e.getDirective());
        assertEquals("'" + ec.keySec1() + "' does not exist or does not contain a certificate", e.getReason());
    }

    @Test
    public void unreadableCertificateFile() throws Exception {
        Path dirAsFile = tmp.newFolder("a-directory").toPath();
        assertError(error(ServerCredentialsSpec.none().withRsa(dirAsFile, null)), "TLSRSACertificateFile", dirAsFile,
                "error loading TLSRSACertificateFile");
    }

    @Test
    public void wrongKeyTypeForDirective() {
        ConfigException e = error(ServerCredentialsSpec.none().withEc(rsa.certFile(), rsa.keyPkcs1()));
        assertError(e, "TLSECCertificateFile", rsa.certFile(), "does not contain an EC certificate (found RSA)");
        e = error(ServerCredentialsSpec.none().withRsa(ec.certFile(), ec.keySec1()));
        assertError(e, "TLSRSACertificateFile", ec.certFile(), "does not contain an RSA certificate (found EC)");
    }

    @Test
    public void keyWithoutCertificate() {
        ConfigException e = error(ServerCredentialsSpec.none().withRsa(null, rsa.keyPkcs1()));
        assertError(e, "TLSRSACertificateKeyFile", rsa.keyPkcs1(), "no TLSRSACertificateFile configured");
    }

    @Test
    public void certificateWithoutKey() {
        ConfigException e = error(ServerCredentialsSpec.none().withRsa(rsa.certFile(), null));
        assertError(e, "TLSRSACertificateKeyFile", rsa.certFile(), "contains no private key");
        e = error(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.certFile()));
        assertError(e, "TLSRSACertificateKeyFile", rsa.certFile(), "no private key found");
    }

    @Test
    public void keyNotMatchingCertificate() {
        TestPki.Issued other = pki.cert("other").kind(KeyKind.RSA).issue();
        ConfigException e = error(ServerCredentialsSpec.none().withRsa(rsa.certFile(), other.keyPkcs1()));
        assertError(e, "TLSRSACertificateKeyFile", other.keyPkcs1(), "key values mismatch");
        TestPki.Issued otherEc = pki.cert("other-ec").issue();
        e = error(ServerCredentialsSpec.none().withEc(ec.certFile(), otherEc.keySec1()));
        assertError(e, "TLSECCertificateKeyFile", otherEc.keySec1(), "key values mismatch");
    }

    @Test
    public void wrongPassPhrase() {
        for (Path key : List.of(rsa.keyPkcs8Encrypted("right"), rsa.keyLegacyEncrypted("right"))) {
            ConfigException e = error(ServerCredentialsSpec.none().withRsa(rsa.certFile(), key)
                    .withPassPhrases(PassPhraseSource.of("wrong")));
            assertError(e, "TLSRSACertificateKeyFile", key, "wrong pass phrase");
            assertEquals("error checking key from TLSRSACertificateKeyFile '" + key + "': wrong pass phrase",
                    e.getReason());
        }
    }

    @Test
    public void missingPassPhrase() {
        for (Path key : List.of(ec.keyPkcs8Encrypted("right"), ec.keyLegacyEncrypted("right"))) {
            ConfigException e = error(ServerCredentialsSpec.none().withEc(ec.certFile(), key));
            assertError(e, "TLSECCertificateKeyFile", key, "encrypted, but no pass phrase configured");
        }
    }

    @Test
    public void pkcs12WrongOrMissingPassword() {
        Path p12 = rsa.pkcs12("right");
        assertError(error(ServerCredentialsSpec.none().withPkcs12(p12).withPassPhrases(PassPhraseSource.of("x"))),
                "TLSPKCS12File", p12, "wrong pass phrase");
        assertError(error(ServerCredentialsSpec.none().withPkcs12(p12)), "TLSPKCS12File", p12,
                "encrypted, but no pass phrase configured");
    }

    @Test
    public void pkcs12NotABundle() {
        assertError(error(ServerCredentialsSpec.none().withPkcs12(rsa.certFile())
                .withPassPhrases(PassPhraseSource.of("x"))), "TLSPKCS12File", rsa.certFile(), "not a PKCS#12 file");
        Path missing = pki.dir().resolve("missing.p12");
        assertError(error(ServerCredentialsSpec.none().withPkcs12(missing)), "TLSPKCS12File", missing,
                "No such file or directory");
    }

    @Test
    public void garbageChainFile() {
        Path text = pki.write("garbage-chain.pem", "this is not a certificate\n");
        assertError(error(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs1()).withChain(text)),
                "TLSCertificateChainFile", text, "unable to read certificate chain '" + text
                        + "': file contained no certificate data");
        Path broken = pki.write("broken-chain.pem",
                "-----BEGIN CERTIFICATE-----\nAAAA!!!not base64\n-----END CERTIFICATE-----\n");
        assertError(error(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs1()).withChain(broken)),
                "TLSCertificateChainFile", broken, "unable to read certificate chain");
        Path missing = pki.dir().resolve("no-chain.pem");
        assertError(error(ServerCredentialsSpec.none().withRsa(rsa.certFile(), rsa.keyPkcs1()).withChain(missing)),
                "TLSCertificateChainFile", missing, "No such file or directory");
    }

    @Test
    public void garbageKeyFile() {
        Path broken = pki.write("broken.key",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n");
        assertError(error(ServerCredentialsSpec.none().withRsa(rsa.certFile(), broken)), "TLSRSACertificateKeyFile",
                broken, "error checking key from TLSRSACertificateKeyFile");
    }
}
