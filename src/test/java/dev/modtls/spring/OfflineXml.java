package dev.modtls.spring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.xml.DelegatingEntityResolver;
import org.springframework.beans.factory.xml.XmlBeanDefinitionReader;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.xml.sax.EntityResolver;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Loads bean definitions from XML with XSD validation on and no network: every schema must come from a jar's
 * {@code META-INF/spring.schemas}; a schema that would have to be downloaded fails the load.
 */
final class OfflineXml {

    final GenericApplicationContext context = new GenericApplicationContext();
    final List<String> resolved = new ArrayList<>();

    private final XmlBeanDefinitionReader reader;

    OfflineXml() {
        reader = new XmlBeanDefinitionReader(context);
        reader.setValidationMode(XmlBeanDefinitionReader.VALIDATION_XSD);
        EntityResolver jarOnly = new DelegatingEntityResolver(getClass().getClassLoader());
        reader.setEntityResolver((publicId, systemId) -> resolve(jarOnly, publicId, systemId));
    }

    private InputSource resolve(EntityResolver jarOnly, String publicId, String systemId)
            throws SAXException, IOException {
        InputSource source = jarOnly.resolveEntity(publicId, systemId);
        if (source == null) {
            throw new SAXException("not resolvable offline (would need the network): " + systemId);
        }
        resolved.add(systemId);
        return source;
    }

    OfflineXml load(Path file) {
        reader.loadBeanDefinitions(new FileSystemResource(file));
        return this;
    }

    OfflineXml load(String xml) {
        reader.loadBeanDefinitions(new ByteArrayResource(xml.getBytes(StandardCharsets.UTF_8), "test XML"));
        return this;
    }

    /** The bean factory, used without refreshing the context (the server package's classes may be absent). */
    DefaultListableBeanFactory beans() {
        return context.getDefaultListableBeanFactory();
    }

    /** A {@code <beans>} document in our namespace (and FtpServer's) around {@code body}. */
    static String document(String body) {
        return "<beans xmlns='http://www.springframework.org/schema/beans'\n"
                + "  xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'\n"
                + "  xmlns:ftp='http://mina.apache.org/ftpserver/spring/v1'\n"
                + "  xmlns:modtls='http://modtls.dev/schema/ftpserver-modtls'\n"
                + "  xsi:schemaLocation='http://www.springframework.org/schema/beans"
                + " http://www.springframework.org/schema/beans/spring-beans.xsd\n"
                + "    http://mina.apache.org/ftpserver/spring/v1 http://mina.apache.org/ftpserver/ftpserver-1.0.xsd\n"
                + "    http://modtls.dev/schema/ftpserver-modtls"
                + " http://modtls.dev/schema/ftpserver-modtls/ftpserver-modtls-1.0.xsd'>\n"
                + body + "\n</beans>\n";
    }
}
