package dev.modtls.spring;

import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.xml.AbstractSingleBeanDefinitionParser;
import org.springframework.beans.factory.xml.ParserContext;
import org.springframework.util.xml.DomUtils;
import org.w3c.dom.Element;

/**
 * {@code <modtls:listener>}: a definition of the module's listener factory bean (the server package's class, named
 * so that this package compiles alone) with its address, port, timeouts, the {@code <modtls:tls>} settings it uses,
 * and FtpServer's own data connection configuration, built by FtpServer's {@code DataConnectionConfigurationFactory}
 * when the bean is created. Values stay strings until then, so Spring placeholders work in every attribute.
 */
final class ListenerBeanDefinitionParser extends AbstractSingleBeanDefinitionParser {

    static final String LISTENER_FACTORY_BEAN_CLASS = "dev.modtls.server.ModTlsListenerFactoryBean";
    static final String DATA_CONNECTION_FACTORY_CLASS = "org.apache.ftpserver.DataConnectionConfigurationFactory";

    @Override
    protected String getBeanClassName(Element element) {
        return LISTENER_FACTORY_BEAN_CLASS;
    }

    @Override
    protected void doParse(Element element, ParserContext parserContext, BeanDefinitionBuilder builder) {
        property(builder, element, "local-address", "serverAddress");
        property(builder, element, "port", "port");
        property(builder, element, "idle-timeout", "idleTimeout");
        property(builder, element, "implicit-ssl", "implicitSsl");
        builder.addPropertyValue("settings", new RuntimeBeanReference(element.getAttribute("tls")));

        Element data = DomUtils.getChildElementByTagName(element, "data-connection");
        if (data != null) {
            builder.addPropertyValue("dataConnectionConfiguration", dataConnection(data, parserContext));
        }
    }

    private static AbstractBeanDefinition dataConnection(Element data, ParserContext parserContext) {
        BeanDefinitionBuilder factory = BeanDefinitionBuilder.genericBeanDefinition(DATA_CONNECTION_FACTORY_CLASS);
        property(factory, data, "idle-timeout", "idleTime");
        Element active = DomUtils.getChildElementByTagName(data, "active");
        if (active != null) {
            // an <active> element enables active mode unless it says otherwise, as in FtpServer's <nio-listener>
            factory.addPropertyValue("activeEnabled", active.hasAttribute("enabled")
                    ? active.getAttribute("enabled") : "true");
            property(factory, active, "local-address", "activeLocalAddress");
            property(factory, active, "local-port", "activeLocalPort");
            property(factory, active, "ip-check", "activeIpCheck");
        }
        Element passive = DomUtils.getChildElementByTagName(data, "passive");
        if (passive != null) {
            property(factory, passive, "address", "passiveAddress");
            property(factory, passive, "external-address", "passiveExternalAddress");
            property(factory, passive, "ports", "passivePorts");
            property(factory, passive, "ip-check", "passiveIpCheck");
        }
        AbstractBeanDefinition factoryDefinition = factory.getBeanDefinition();
        String factoryName = parserContext.getReaderContext().generateBeanName(factoryDefinition);
        parserContext.getRegistry().registerBeanDefinition(factoryName, factoryDefinition);

        return BeanDefinitionBuilder.genericBeanDefinition()
                .setFactoryMethodOnBean("createDataConnectionConfiguration", factoryName).getBeanDefinition();
    }

    private static void property(BeanDefinitionBuilder builder, Element element, String attribute, String property) {
        if (element.hasAttribute(attribute)) {
            builder.addPropertyValue(property, element.getAttribute(attribute).strip());
        }
    }
}
