package dev.modtls.main;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.BindException;

import org.apache.ftpserver.FtpServerConfigurationException;
import org.junit.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.CannotLoadBeanClassException;
import org.springframework.beans.factory.xml.XmlBeanDefinitionStoreException;
import org.springframework.core.io.DescriptiveResource;
import org.xml.sax.SAXParseException;

import dev.modtls.config.ConfigException;

public class StartupFailureTest {

    @Test
    public void configExceptionInsideSpringLayersIsTheReason() {
        ConfigException cause = new ConfigException("TLSRequired", "bad parameter")
                .at("attribute 'required' of <modtls:tls id='tls'>");
        Throwable e = new BeanCreationException("server", "Cannot resolve reference to bean 'ftps'",
                new BeanCreationException("ftps", "Cannot resolve reference to bean 'tls'",
                        new BeanCreationException("tls", "FactoryBean threw exception on object creation", cause)));
        assertEquals("TLSRequired: bad parameter (attribute 'required' of <modtls:tls id='tls'>)",
                StartupFailure.reason(e));
    }

    @Test
    public void bindFailureKeepsTheAddress() {
        Throwable e = new FtpServerConfigurationException("Failed to bind to address /127.0.0.1:21, check configuration",
                new IOException("Error while binding on /127.0.0.1:21", new BindException("Address already in use")));
        assertEquals("Error while binding on /127.0.0.1:21: Address already in use", StartupFailure.reason(e));
    }

    @Test
    public void wrapperRepeatingItsCauseIsSkipped() {
        IOException root = new IOException("disk full");
        Throwable e = new RuntimeException(root); // message "java.io.IOException: disk full"
        assertEquals("disk full", StartupFailure.reason(e));
    }

    @Test
    public void schemaErrorNamesFileAndLine() {
        SAXParseException sax = new SAXParseException("cvc-complex-type.3.2.2: Attribute 'requierd' is not allowed "
                + "to appear in element 'modtls:tls'.", null, "file:/etc/ftpd.xml", 12, 40);
        Throwable e = new XmlBeanDefinitionStoreException("file [/etc/ftpd.xml]",
                "Line 12 in XML document from file [/etc/ftpd.xml] is invalid", sax);
        assertEquals("file:/etc/ftpd.xml line 12: cvc-complex-type.3.2.2: Attribute 'requierd' is not allowed to "
                + "appear in element 'modtls:tls'.", StartupFailure.reason(e));
    }

    @Test
    public void missingClassSaysSo() {
        Throwable e = new CannotLoadBeanClassException(new DescriptiveResource("x").getDescription(), "pp",
                "dev.modtls.server.Missing", new ClassNotFoundException("dev.modtls.server.Missing"));
        assertEquals("class not found: dev.modtls.server.Missing (a jar missing from the class path?)",
                StartupFailure.reason(e));
    }

    @Test
    public void springExceptionAloneGivesItsOwnMessage() {
        Throwable e = new BeanCreationException("server", "no such thing");
        assertEquals("Error creating bean with name 'server': no such thing", StartupFailure.reason(e));
    }
}
