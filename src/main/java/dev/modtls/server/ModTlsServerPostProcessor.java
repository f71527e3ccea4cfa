package dev.modtls.server;

import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.command.CommandFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Installs our commands into every FtpServer built by FtpServer's Spring namespace: {@code <ftp:server>} registers an
 * {@link FtpServerFactory} bean and builds the server from it with {@code createServer()}; this post-processor sees
 * the factory after its listeners, Ftplets and command factory are set and before the server is created
 * (ftpserver-notes §4.7). Registered automatically by the {@code <modtls:tls>} element, so a configuration never
 * has to list our commands.
 */
public class ModTlsServerPostProcessor implements BeanPostProcessor {

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof FtpServerFactory) {
            install((FtpServerFactory) bean);
        }
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean;
    }

    /** Lays our commands over the factory's command factory (once). Usable without Spring, for embedded servers. */
    public static void install(FtpServerFactory factory) {
        CommandFactory current = factory.getCommandFactory();
        if (!(current instanceof ModTlsCommandFactory)) {
            factory.setCommandFactory(ModTlsCommands.overlay(current));
        }
    }
}
