package dev.modtls.server;

import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.listener.Listener;
import org.springframework.beans.factory.FactoryBean;

import dev.modtls.config.TlsSettings;

/**
 * Builds a {@link ModTlsListener} for {@code <modtls:listener>}: starts its {@link TlsEngine} (which loads the
 * certificates, so a bad file stops the server while the configuration loads) and hands it the data-connection
 * configuration.
 */
public class ModTlsListenerFactoryBean implements FactoryBean<Listener> {

    private String serverAddress;
    private int port = 21;
    private int idleTimeout = 300;
    private boolean implicitSsl;
    private TlsSettings settings;
    private DataConnectionConfiguration dataConnectionConfiguration;

    public void setServerAddress(String serverAddress) {
        this.serverAddress = serverAddress;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public void setIdleTimeout(int idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public void setImplicitSsl(boolean implicitSsl) {
        this.implicitSsl = implicitSsl;
    }

    public void setSettings(TlsSettings settings) {
        this.settings = settings;
    }

    public void setDataConnectionConfiguration(DataConnectionConfiguration dataConnectionConfiguration) {
        this.dataConnectionConfiguration = dataConnectionConfiguration;
    }

    @Override
    public Listener getObject() {
        if (settings == null) {
            throw new IllegalStateException("<modtls:listener> needs its tls attribute (a <modtls:tls> bean)");
        }
        if (implicitSsl) {
            throw new IllegalStateException("<modtls:listener implicit-ssl=\"true\">: implicit FTPS "
                    + "(TLSOptions UseImplicitSSL) is not supported yet");
        }
        DataConnectionConfiguration data = dataConnectionConfiguration != null ? dataConnectionConfiguration
                : new DataConnectionConfigurationFactory().createDataConnectionConfiguration();
        return new ModTlsListener(serverAddress, port, false, TlsEngine.start(settings, port), data, idleTimeout, null);
    }

    @Override
    public Class<?> getObjectType() {
        return Listener.class;
    }

    @Override
    public boolean isSingleton() {
        return true;
    }
}
