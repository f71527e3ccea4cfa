package dev.modtls.spring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.springframework.beans.PropertyValues;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.parsing.BeanDefinitionParsingException;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.xml.PluggableSchemaResolver;
import org.springframework.beans.factory.xml.XmlBeanDefinitionStoreException;
import org.xml.sax.InputSource;

import dev.modtls.config.ConfigException;
import dev.modtls.config.TlsSettings;
import dev.modtls.policy.TlsOption;
import dev.modtls.policy.TlsRequired;

public class ModTlsNamespaceTest {

    private static final Path DEMO = Paths.get("etc/ftpd-demo.xml");
    private static final Path TYPICAL = Paths.get("etc/ftpd-typical.xml");

    private Path dir;

    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("ns");
    }

    @After
    public void tearDown() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    /** The settings of bean {@code name}, with relative paths resolved against the test's directory. */
    private TlsSettings settings(OfflineXml xml, String name) {
        xml.beans().getBeanDefinition(name).getPropertyValues().add("baseDirectory", dir.toString());
        return xml.beans().getBean(name, TlsSettings.class);
    }

    @Test
    public void schemaComesFromTheJarForHttpAndHttps() throws IOException {
        PluggableSchemaResolver resolver = new PluggableSchemaResolver(getClass().getClassLoader());
        for (String scheme : List.of("http", "https")) {
            InputSource source = resolver.resolveEntity(null,
                    scheme + "://modtls.dev/schema/ftpserver-modtls/ftpserver-modtls-1.0.xsd");
            assertNotNull(scheme, source);
            try (var in = source.getByteStream()) {
                assertTrue(new String(in.readAllBytes()).contains(
                        "targetNamespace=\"http://modtls.dev/schema/ftpserver-modtls\""));
            }
        }
    }

    @Test
    public void demoConfigurationLoadsOfflineWithValidation() {
        OfflineXml xml = new OfflineXml().load(DEMO);
        assertTrue(xml.resolved.toString(), xml.resolved.contains(
                "https://modtls.dev/schema/ftpserver-modtls/ftpserver-modtls-1.0.xsd"));
        assertTrue(xml.resolved.toString(), xml.resolved.contains("http://mina.apache.org/ftpserver/ftpserver-1.0.xsd"));
    }

    @Test
    public void demoTlsSettings() throws IOException {
        OfflineXml xml = new OfflineXml().load(DEMO);
        TlsSettings s = settings(xml, "tls");
        assertTrue(s.engine());
        assertEquals(TlsRequired.parse("on"), s.required());
        assertEquals(Optional.of(dir.resolve("var/log/tls.log")), s.logFile());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), s.protocols());
        assertEquals(Optional.of(dir.resolve("var/certs/rsa-cert.pem")), s.rsaCertificateFile());
        assertEquals(Optional.of(dir.resolve("var/certs/rsa-key.pem")), s.rsaCertificateKeyFile());
        assertEquals(Optional.of(dir.resolve("var/certs/ec-cert.pem")), s.ecCertificateFile());
        assertEquals(Optional.of(dir.resolve("var/certs/ec-key.pem")), s.ecCertificateKeyFile());
        // generate-if-missing wrote both pairs before the settings were built
        for (String f : List.of("rsa-cert.pem", "rsa-key.pem", "ec-cert.pem", "ec-key.pem")) {
            assertTrue(f, Files.size(dir.resolve("var/certs").resolve(f)) > 0);
        }
        assertTrue(Files.readString(dir.resolve("var/certs/rsa-cert.pem")).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    public void generatedCertificatesAreKeptOnTheNextStart() throws IOException {
        TlsSettings first = settings(new OfflineXml().load(DEMO), "tls");
        byte[] cert = Files.readAllBytes(first.rsaCertificateFile().orElseThrow());
        settings(new OfflineXml().load(DEMO), "tls");
        assertTrue(Arrays.equals(cert, Files.readAllBytes(first.rsaCertificateFile().orElseThrow())));
    }

    @Test
    public void demoListenerAndServerDefinitions() {
        DefaultListableBeanFactory beans = new OfflineXml().load(DEMO).beans();
        BeanDefinition ftps = beans.getBeanDefinition("ftps");
        assertEquals("dev.modtls.server.ModTlsListenerFactoryBean", ftps.getBeanClassName());
        PropertyValues pv = ftps.getPropertyValues();
        assertEquals("127.0.0.1", pv.getPropertyValue("serverAddress").getValue());
        assertEquals("2121", pv.getPropertyValue("port").getValue());
        assertEquals("300", pv.getPropertyValue("idleTimeout").getValue());
        assertNull(pv.getPropertyValue("implicitSsl"));
        assertEquals("tls", ((RuntimeBeanReference) pv.getPropertyValue("settings").getValue()).getBeanName());

        BeanDefinition data = (BeanDefinition) pv.getPropertyValue("dataConnectionConfiguration").getValue();
        assertEquals("createDataConnectionConfiguration", data.getFactoryMethodName());
        BeanDefinition factory = beans.getBeanDefinition(data.getFactoryBeanName());
        assertEquals("org.apache.ftpserver.DataConnectionConfigurationFactory", factory.getBeanClassName());
        PropertyValues fpv = factory.getPropertyValues();
        assertEquals("300", fpv.getPropertyValue("idleTime").getValue());
        assertEquals("127.0.0.1", fpv.getPropertyValue("passiveAddress").getValue());
        assertEquals("2300-2399", fpv.getPropertyValue("passivePorts").getValue());
        assertNull(fpv.getPropertyValue("activeEnabled"));

        // FtpServer's <ftp:listener name="default"><ref bean="ftps"/></ftp:listener> refers to our listener
        Map<?, ?> listeners = ftpServerFactoryListeners(beans);
        assertEquals(1, listeners.size());
        assertEquals("ftps", ((RuntimeBeanReference) listeners.get("default")).getBeanName());

        // the post-processor that installs the module into FtpServerFactory, once
        long postProcessors = Arrays.stream(beans.getBeanDefinitionNames())
                .map(beans::getBeanDefinition)
                .filter(d -> TlsBeanDefinitionParser.POST_PROCESSOR_CLASS.equals(d.getBeanClassName())).count();
        assertEquals(1, postProcessors);
        assertEquals(BeanDefinition.ROLE_INFRASTRUCTURE,
                beans.getBeanDefinition(TlsBeanDefinitionParser.POST_PROCESSOR_CLASS).getRole());
    }

    private static Map<?, ?> ftpServerFactoryListeners(DefaultListableBeanFactory beans) {
        for (String name : beans.getBeanDefinitionNames()) {
            BeanDefinition d = beans.getBeanDefinition(name);
            if ("org.apache.ftpserver.FtpServerFactory".equals(d.getBeanClassName())) {
                return (Map<?, ?>) d.getPropertyValues().getPropertyValue("listeners").getValue();
            }
        }
        throw new AssertionError("no FtpServerFactory definition");
    }

    @Test
    public void typicalConfigurationCombinesAttributesAndDirectiveLines() {
        OfflineXml xml = new OfflineXml().load(TYPICAL);
        TlsSettings s = settings(xml, "tls");
        assertTrue(s.engine());
        assertEquals(TlsRequired.parse("auth+data"), s.required());
        assertTrue(s.required().authRequired());
        assertTrue(s.required().dataRequired());
        assertFalse(s.required().controlRequired());
        assertEquals(Optional.of(Paths.get("/var/log/ftpserver/tls.log")), s.logFile());
        assertEquals(Duration.ofSeconds(30), s.handshakeTimeout());
        assertEquals(Optional.of(Paths.get("/etc/ftpserver/tls/server-cert.pem")), s.rsaCertificateFile());
        assertEquals(Optional.of(Paths.get("/etc/ftpserver/tls/chain.pem")), s.certificateChainFile());
        // from <modtls:directives>
        assertEquals("HIGH:!aNULL:!MD5:!EXPORT", s.cipherList());
        assertTrue(s.serverCipherPreference());
        assertEquals(Duration.ofSeconds(1800), s.sessionCache().timeout());
        assertTrue(s.renegotiation().refuseAll());
        assertTrue(s.directiveLines().toString(), s.directiveLines().contains("TLSRenegotiate none"));

        PropertyValues pv = xml.beans().getBeanDefinition("ftps").getPropertyValues();
        assertNull(pv.getPropertyValue("serverAddress"));
        assertEquals("21", pv.getPropertyValue("port").getValue());
        BeanDefinition data = (BeanDefinition) pv.getPropertyValue("dataConnectionConfiguration").getValue();
        PropertyValues fpv = xml.beans().getBeanDefinition(data.getFactoryBeanName()).getPropertyValues();
        assertEquals("false", fpv.getPropertyValue("activeEnabled").getValue());
        assertEquals("30000-30099", fpv.getPropertyValue("passivePorts").getValue());
        assertEquals("203.0.113.10", fpv.getPropertyValue("passiveExternalAddress").getValue());
    }

    @Test
    public void everyAttributeReachesItsDirective() {
        OfflineXml xml = new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='t' engine='on' log='none' protocol='ALL -TLSv1 -TLSv1.1' required='ctrl+!data'"
                        + " options='NoSessionReuseRequired EnableDiags' cipher-suite='HIGH'"
                        + " cipher-suite-tls13='TLS_AES_256_GCM_SHA384' server-cipher-preference='off'"
                        + " timeout-handshake='5m' session-cache='internal: 600' session-cache-size='512'"
                        + " verify-client='optional' verify-depth='3' verify-order='ocsp crl' verify-server='off'"
                        + " ca-certificate-file='ca dir/ca.pem' ca-certificate-path='cadir'"
                        + " ca-revocation-file='crl.pem' ca-revocation-path='crldir' user-name='CommonName'"
                        + " pass-phrase-provider='/usr/local/bin/pp' renegotiate='ctrl 3600 required off'"
                        + " masquerade-address='203.0.113.7' next-protocol='off' key-password='s3cret'"
                        + " server-name='Test FTP'>\n"
                        + "  <modtls:pkcs12 file='server.p12' password='p12pass'/>\n"
                        + "</modtls:tls>"));
        TlsSettings s = settings(xml, "t");
        assertTrue(s.engine());
        assertEquals(Optional.empty(), s.logFile());
        assertFalse(s.protocols().contains("TLSv1"));
        assertTrue(s.protocols().contains("TLSv1.2"));
        assertEquals(TlsRequired.parse("ctrl+!data"), s.required());
        assertTrue(s.hasOption(TlsOption.NO_SESSION_REUSE_REQUIRED));
        assertTrue(s.hasOption(TlsOption.ENABLE_DIAGS));
        assertEquals("HIGH:!EXPORT", s.cipherList());
        assertEquals(Optional.of("TLS_AES_256_GCM_SHA384"), s.tls13CipherList());
        assertFalse(s.serverCipherPreference());
        assertEquals(Duration.ofMinutes(5), s.handshakeTimeout());
        assertEquals(Duration.ofSeconds(600), s.sessionCache().timeout());
        assertEquals(512, s.sessionCache().size());
        assertEquals(dev.modtls.config.VerifyClient.OPTIONAL, s.verifyClient());
        assertEquals(3, s.verifyDepth());
        assertEquals(List.of(dev.modtls.config.RevocationCheck.OCSP, dev.modtls.config.RevocationCheck.CRL),
                s.verifyOrder());
        assertEquals(dev.modtls.config.VerifyServer.OFF, s.verifyServer());
        assertEquals(Optional.of(dir.resolve("ca dir/ca.pem")), s.caCertificateFile()); // a path keeps its blank
        assertEquals(Optional.of(dir.resolve("cadir")), s.caCertificatePath());
        assertEquals(Optional.of(dir.resolve("crl.pem")), s.caRevocationFile());
        assertEquals(Optional.of(dir.resolve("crldir")), s.caRevocationPath());
        assertEquals(Optional.of("CommonName"), s.userName());
        assertEquals(Optional.of(Paths.get("/usr/local/bin/pp")), s.passPhraseProvider());
        assertEquals(Duration.ofSeconds(3600), s.renegotiation().ctrlInterval());
        assertFalse(s.renegotiation().required());
        assertEquals(Optional.of("203.0.113.7"), s.masqueradeAddress());
        assertFalse(s.nextProtocol());
        assertEquals("s3cret", new String(s.keyPassword().orElseThrow()));
        assertEquals("Test FTP", s.serverName());
        assertEquals(Optional.of(dir.resolve("server.p12")), s.pkcs12File());
        assertEquals("p12pass", new String(s.pkcs12Password().orElseThrow()));
    }

    @Test
    public void pastedIfModuleSectionWorksAsIs() {
        OfflineXml xml = new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='t'><modtls:directives>\n"
                        + "&lt;IfModule mod_tls.c&gt;\n"
                        + "  TLSEngine                  on\n"
                        + "  TLSLog                     \"var/log/tls log.log\"\n"
                        + "  # a comment\n"
                        + "  TLSProtocol                TLSv1.2 TLSv1.3\n"
                        + "  TLSRSACertificateFile      /etc/ssl/certs/proftpd.crt\n"
                        + "  TLSRSACertificateKeyFile   /etc/ssl/private/proftpd.key\n"
                        + "  TLSVerifyClient            off\n"
                        + "  TLSRequired                on\n"
                        + "&lt;/IfModule&gt;\n"
                        + "</modtls:directives></modtls:tls>"));
        TlsSettings s = settings(xml, "t");
        assertTrue(s.engine());
        assertEquals(Optional.of(dir.resolve("var/log/tls log.log")), s.logFile());
        assertEquals(TlsRequired.parse("on"), s.required());
        assertEquals(Optional.of(Paths.get("/etc/ssl/certs/proftpd.crt")), s.rsaCertificateFile());
    }

    @Test
    public void directiveLinesOverrideAttributes() {
        OfflineXml xml = new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='t' required='on'><modtls:directives>TLSRequired off</modtls:directives>"
                        + "</modtls:tls>"));
        assertEquals(TlsRequired.OFF, settings(xml, "t").required());
    }

    private static ConfigException configError(OfflineXml xml, String bean) {
        try {
            xml.beans().getBean(bean);
        } catch (BeanCreationException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigException) {
                    return (ConfigException) t;
                }
            }
            throw new AssertionError("no ConfigException in the chain", e);
        }
        throw new AssertionError("bean " + bean + " was created");
    }

    @Test
    public void badAttributeNamesTheAttributeAndTheDirective() {
        OfflineXml xml = new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='tls' engine='on' required='sometimes'/>"));
        ConfigException e = configError(xml, "tls");
        assertEquals("TLSRequired", e.getDirective());
        assertEquals("TLSRequired: bad parameter (attribute 'required' of <modtls:tls id='tls'>)", e.getMessage());
    }

    @Test
    public void badTypedAttributeNamesTheAttribute() {
        ConfigException e = configError(new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='tls' session-cache-size='many'/>")), "tls");
        assertEquals("TLSSessionCache: cache size must be a number: 'many' (attribute 'session-cache-size' of "
                + "<modtls:tls id='tls'>)", e.getMessage());
    }

    @Test
    public void badDirectiveLineNamesTheLine() {
        ConfigException e = configError(new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='tls'><modtls:directives>\nTLSEngine on\nTLSVerifyDepth -1\n"
                        + "</modtls:directives></modtls:tls>")), "tls");
        assertEquals("TLSVerifyDepth: depth must be zero or greater (line 3 of <modtls:directives> in "
                + "<modtls:tls id='tls'>)", e.getMessage());
    }

    @Test
    public void badCertificateAttributeNamesTheElement() {
        ConfigException e = configError(new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='tls'><modtls:rsa-certificate file='' key-file='k.pem'/></modtls:tls>")), "tls");
        assertEquals("TLSRSACertificateFile", e.getDirective());
        assertTrue(e.getMessage(), e.getMessage().endsWith(
                "(attribute 'file' of <modtls:rsa-certificate> in <modtls:tls id='tls'>)"));
    }

    @Test
    public void generationNeedsAKeyFile() {
        ConfigException e = configError(new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='tls'><modtls:ec-certificate file='c.pem' generate-if-missing='true'/>"
                        + "</modtls:tls>")), "tls");
        assertEquals("TLSECCertificateFile: generating a certificate needs both 'file' and 'key-file' "
                + "(attribute 'generate-if-missing' of <modtls:ec-certificate> in <modtls:tls id='tls'>)",
                e.getMessage());
    }

    @Test
    public void crossDirectiveErrorNamesTheElement() {
        ConfigException e = configError(new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='tls' required='auth' options='AllowPerUser'/>")), "tls");
        assertEquals("TLSOptions", e.getDirective());
        assertTrue(e.getMessage(), e.getMessage().endsWith("at the same time (<modtls:tls id='tls'>)"));
    }

    @Test
    public void unknownAttributeIsRejectedByTheSchema() {
        try {
            new OfflineXml().load(OfflineXml.document("<modtls:tls id='tls' requierd='on'/>"));
            fail("a misspelt attribute must not be ignored");
        } catch (XmlBeanDefinitionStoreException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("requierd"));
        }
    }

    @Test
    public void listenerNeedsItsTlsReference() {
        try {
            new OfflineXml().load(OfflineXml.document("<modtls:listener id='l' port='21'/>"));
            fail("tls is required");
        } catch (XmlBeanDefinitionStoreException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("tls"));
        }
    }

    @Test
    public void postProcessorIsRegisteredOncePerContext() {
        DefaultListableBeanFactory beans = new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='a'/><modtls:tls id='b'/>"
                        + "<modtls:listener id='la' tls='a' port='2121'/><modtls:listener id='lb' tls='b' port='2122'"
                        + " implicit-ssl='true'/>")).beans();
        long count = Arrays.stream(beans.getBeanDefinitionNames()).map(beans::getBeanDefinition)
                .filter(d -> TlsBeanDefinitionParser.POST_PROCESSOR_CLASS.equals(d.getBeanClassName())).count();
        assertEquals(1, count);
        PropertyValues lb = beans.getBeanDefinition("lb").getPropertyValues();
        assertEquals("true", lb.getPropertyValue("implicitSsl").getValue());
        assertEquals("b", ((RuntimeBeanReference) lb.getPropertyValue("settings").getValue()).getBeanName());
        assertNull(lb.getPropertyValue("dataConnectionConfiguration"));
    }

    @Test
    public void placeholdersAreResolvedBeforeValidation() {
        OfflineXml xml = new OfflineXml().load(OfflineXml.document(
                "<modtls:tls id='tls' required='${tls.required}' key-password='${tls.key.password}'/>"));
        org.springframework.context.support.PropertySourcesPlaceholderConfigurer placeholders =
                new org.springframework.context.support.PropertySourcesPlaceholderConfigurer();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("tls.required", "auth+data");
        p.setProperty("tls.key.password", "from-env");
        placeholders.setProperties(p);
        placeholders.postProcessBeanFactory(xml.beans());
        TlsSettings s = settings(xml, "tls");
        assertEquals(TlsRequired.parse("auth+data"), s.required());
        assertEquals("from-env", new String(s.keyPassword().orElseThrow()));
    }

    @Test
    public void schemaRejectsUnknownChildElements() {
        try {
            new OfflineXml().load(OfflineXml.document("<modtls:tls id='tls'><modtls:dsa-certificate file='x'/>"
                    + "</modtls:tls>"));
            fail("unknown child");
        } catch (XmlBeanDefinitionStoreException | BeanDefinitionParsingException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("dsa-certificate"));
        }
    }
}
