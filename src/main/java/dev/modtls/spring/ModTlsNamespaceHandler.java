package dev.modtls.spring;

import org.springframework.beans.factory.xml.NamespaceHandlerSupport;

/**
 * The {@code http://modtls.dev/schema/ftpserver-modtls} namespace, used next to FtpServer's own in one file:
 * {@code <modtls:tls>} (the mod_tls settings) and {@code <modtls:listener>} (an FTPS listener using them, to be
 * referenced from {@code <ftp:listener name="..."><ref bean="..."/></ftp:listener>}).
 */
public class ModTlsNamespaceHandler extends NamespaceHandlerSupport {

    public static final String NAMESPACE = "http://modtls.dev/schema/ftpserver-modtls";

    @Override
    public void init() {
        registerBeanDefinitionParser("tls", new TlsBeanDefinitionParser());
        registerBeanDefinitionParser("listener", new ListenerBeanDefinitionParser());
    }
}
