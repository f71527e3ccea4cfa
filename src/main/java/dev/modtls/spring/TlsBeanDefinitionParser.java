package dev.modtls.spring;

import java.util.Map;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.ManagedList;
import org.springframework.beans.factory.support.ManagedMap;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.beans.factory.xml.AbstractSingleBeanDefinitionParser;
import org.springframework.beans.factory.xml.ParserContext;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * {@code <modtls:tls>}: a {@link TlsSettingsFactoryBean} definition carrying the element's attributes and children
 * as strings (nothing is validated or read here; see the factory bean), and, once per application context, the
 * post-processor that installs the module into FtpServer.
 */
final class TlsBeanDefinitionParser extends AbstractSingleBeanDefinitionParser {

    /** The module's BeanPostProcessor (the server package's class, named so that this package compiles alone). */
    static final String POST_PROCESSOR_CLASS = "dev.modtls.server.ModTlsServerPostProcessor";

    @Override
    protected Class<?> getBeanClass(Element element) {
        return TlsSettingsFactoryBean.class;
    }

    @Override
    protected void doParse(Element element, ParserContext parserContext, BeanDefinitionBuilder builder) {
        String elementName = "<modtls:tls id='" + element.getAttribute("id") + "'>";
        builder.addPropertyValue("elementName", elementName);

        Map<String, String> attributes = new ManagedMap<>();
        for (String name : TlsAttribute.names()) {
            if (element.hasAttribute(name)) {
                attributes.put(name, element.getAttribute(name));
            }
        }
        rejectUnknownAttributes(element, parserContext);
        builder.addPropertyValue("attributes", attributes);

        ManagedList<Map<String, String>> certificates = new ManagedList<>();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element) || !ModTlsNamespaceHandler.NAMESPACE.equals(n.getNamespaceURI())) {
                continue;
            }
            Element child = (Element) n;
            if ("directives".equals(child.getLocalName())) {
                builder.addPropertyValue("directives", child.getTextContent());
            } else if (CertificateElement.forElement(child.getLocalName()).isPresent()) {
                Map<String, String> spec = new ManagedMap<>();
                spec.put(CertificateElement.ELEMENT_KEY, child.getLocalName());
                NamedNodeMap attrs = child.getAttributes();
                for (int i = 0; i < attrs.getLength(); i++) {
                    Attr a = (Attr) attrs.item(i);
                    spec.put(a.getLocalName() != null ? a.getLocalName() : a.getName(), a.getValue());
                }
                certificates.add(spec);
            } else {
                parserContext.getReaderContext().error("unknown element <modtls:" + child.getLocalName() + "> in "
                        + elementName, child);
            }
        }
        builder.addPropertyValue("certificates", certificates);
        registerPostProcessorOnce(parserContext.getRegistry());
    }

    private static void rejectUnknownAttributes(Element element, ParserContext parserContext) {
        NamedNodeMap attrs = element.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            String name = a.getLocalName() != null ? a.getLocalName() : a.getName();
            if (a.getNamespaceURI() == null && !name.equals("id") && TlsAttribute.forName(name).isEmpty()) {
                parserContext.getReaderContext().error("unknown attribute '" + name + "' of <modtls:tls id='"
                        + element.getAttribute("id") + "'>; known: " + TlsAttribute.names(), element);
            }
        }
    }

    private static void registerPostProcessorOnce(BeanDefinitionRegistry registry) {
        if (!registry.containsBeanDefinition(POST_PROCESSOR_CLASS)) {
            RootBeanDefinition pp = new RootBeanDefinition();
            pp.setBeanClassName(POST_PROCESSOR_CLASS);
            pp.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            registry.registerBeanDefinition(POST_PROCESSOR_CLASS, pp);
        }
    }
}
